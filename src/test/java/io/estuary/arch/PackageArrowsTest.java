package io.estuary.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package arrows of DESIGN.md: codecs know nothing of servers, and only the node knows the whole picture. */
@AnalyzeClasses(packages = "io.estuary", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageArrowsTest {

  @ArchTest
  static final ArchRule amfIsSelfContained = noClasses().that().resideInAPackage("io.estuary.amf..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.media..", "io.estuary.stream..",
          "io.estuary.rtmp..", "io.estuary.config..", "io.estuary.node..", "io.estuary.flv..");

  @ArchTest
  static final ArchRule mediaIsSelfContained = noClasses().that().resideInAPackage("io.estuary.media..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.amf..", "io.estuary.stream..",
          "io.estuary.rtmp..", "io.estuary.config..", "io.estuary.node..", "io.estuary.flv..");

  @ArchTest
  static final ArchRule mpegtsIsACodec = noClasses().that().resideInAPackage("io.estuary.mpegts..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.amf..", "io.estuary.rtmp..",
          "io.estuary.config..", "io.estuary.node..", "io.estuary.flv..", "io.vertx..");

  @ArchTest
  static final ArchRule streamDependsOnlyOnMedia = noClasses().that().resideInAPackage("io.estuary.stream..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.amf..", "io.estuary.rtmp..",
          "io.estuary.config..", "io.estuary.node..", "io.estuary.flv..");

  @ArchTest
  static final ArchRule flvDependsOnlyOnMediaAndAmf = noClasses().that().resideInAPackage("io.estuary.flv..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.stream..", "io.estuary.rtmp..",
          "io.estuary.config..", "io.estuary.node..", "io.vertx..");

  @ArchTest
  static final ArchRule rtmpDependsOnCodecsAndStreams = noClasses().that().resideInAPackage("io.estuary.rtmp..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.config..", "io.estuary.node..");

  @ArchTest
  static final ArchRule configKnowsOnlyVertx = noClasses().that().resideInAPackage("io.estuary.config..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.amf..", "io.estuary.media..",
          "io.estuary.stream..", "io.estuary.rtmp..", "io.estuary.node..");

  @ArchTest
  static final ArchRule protocolCodecsKnowNoVerticles = noClasses()
      .that().resideInAnyPackage("io.estuary.amf..", "io.estuary.media..", "io.estuary.rtmp.codec..",
          "io.estuary.rtmp.message..")
      .should().dependOnClassesThat().resideInAPackage("io.vertx..");

  @ArchTest
  static final ArchRule onlyTheNodeSeesTheWholePicture = noClasses().that().resideOutsideOfPackage("io.estuary.node..")
      .should().dependOnClassesThat().resideInAPackage("io.estuary.node..");

  @ArchTest
  static final ArchRule vertxInternalsStayInTheServerImpl = noClasses()
      .that().resideOutsideOfPackages("io.estuary.rtmp.impl..", "io.estuary.http..")
      .should().dependOnClassesThat().resideInAPackage("io.vertx.core.internal..");

  /** NetSocketInternal (the Netty pipeline under a Vert.x socket) in one class, for the RTMP server and client. */
  @ArchTest
  static final ArchRule netSocketInternalInOneClass = noClasses()
      .that().doNotHaveFullyQualifiedName("io.estuary.rtmp.impl.RtmpChannels")
      .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.internal.net.NetSocketInternal");

  @ArchTest
  static final ArchRule hlsDependsOnStreamsAndCodecs = noClasses().that().resideInAPackage("io.estuary.hls..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.rtmp..", "io.estuary.http..",
          "io.estuary.config..", "io.estuary.node..", "io.estuary.amf..");

  @ArchTest
  static final ArchRule httpDependsOnStreamsFlvAndHls = noClasses().that().resideInAPackage("io.estuary.http..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.rtmp..", "io.estuary.config..",
          "io.estuary.node..", "io.estuary.amf..");

  @ArchTest
  static final ArchRule httpHooksKnowOnlyVertx = classes().that().haveNameMatching("io\\.estuary\\.admin\\.HttpHooks(\\$.*)?")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.admin..", "io.vertx..", "java..");

  @ArchTest
  static final ArchRule adminSeesStreamsAndTheEventBusOnly = noClasses().that().resideInAPackage("io.estuary.admin..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.rtmp..", "io.estuary.http..", "io.estuary.hls..",
          "io.estuary.config..", "io.estuary.node..", "io.estuary.flv..", "io.estuary.mpegts..");

  /** The bench plays and publishes through the public RtmpClient (rtmp's root, codec, message), never rtmp.impl. */
  @ArchTest
  static final ArchRule benchIsAClientOfTheRtmpClientAndCodecs = noClasses().that().resideInAPackage("io.estuary.bench..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.stream..", "io.estuary.rtmp.impl..",
          "io.estuary.http..", "io.estuary.hls..", "io.estuary.admin..", "io.estuary.config..", "io.estuary.node..",
          "io.estuary.cluster..", "io.estuary.relay..", "io.vertx.core.internal..");

  @ArchTest
  static final ArchRule onlyTheNodeLaunchesTheBench = noClasses()
      .that().resideOutsideOfPackages("io.estuary.bench..", "io.estuary.node..")
      .should().dependOnClassesThat().resideInAPackage("io.estuary.bench..");
}
