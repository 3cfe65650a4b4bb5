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

  /** The MP4 container writer knows the codec facts and Netty's buffers: no server, stream or file I/O (dvr writes). */
  @ArchTest
  static final ArchRule mp4IsAContainerOfMediaAndBuffers = classes().that().resideInAPackage("io.estuary.mp4..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.mp4..", "io.estuary.media..",
          "io.netty.buffer..", "java.lang..", "java.util..", "java.nio.charset..");

  @ArchTest
  static final ArchRule streamIsTheDataPlaneOnly = noClasses().that().resideInAPackage("io.estuary.stream..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.amf..", "io.estuary.rtmp..",
          "io.estuary.config..", "io.estuary.node..", "io.estuary.flv..", "io.estuary.access..", "io.estuary.http..",
          "io.estuary.hls..", "io.estuary.admin..", "io.estuary.mpegts..", "io.estuary.cluster..");

  /** The data plane and the codec facts know buffers, not servers: no Vert.x, and of Netty only buffers and util. */
  @ArchTest
  static final ArchRule streamAndMediaKnowNoServers = noClasses()
      .that().resideInAnyPackage("io.estuary.stream..", "io.estuary.media..")
      .should().dependOnClassesThat().resideInAPackage("io.vertx..")
      .orShould().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
          "Netty classes beyond io.netty.buffer and io.netty.util",
          c -> c.getPackageName().startsWith("io.netty.") && !c.getPackageName().startsWith("io.netty.buffer")
              && !c.getPackageName().startsWith("io.netty.util")));

  /** The logging helpers every package may use depend on nothing of Estuary's. */
  @ArchTest
  static final ArchRule logDependsOnNothingOfOurs = classes().that().resideInAPackage("io.estuary.log..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.log..", "java..");

  @ArchTest
  static final ArchRule accessDependsOnStreamConfigAndTheEventBus = noClasses().that().resideInAPackage("io.estuary.access..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.amf..", "io.estuary.media..", "io.estuary.rtmp..",
          "io.estuary.node..", "io.estuary.flv..", "io.estuary.http..", "io.estuary.hls..", "io.estuary.admin..",
          "io.estuary.mpegts..", "io.estuary.cluster..", "io.vertx.core.internal..");

  @ArchTest
  static final ArchRule flvDependsOnlyOnMediaAndAmf = noClasses().that().resideInAPackage("io.estuary.flv..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.stream..", "io.estuary.rtmp..",
          "io.estuary.config..", "io.estuary.node..", "io.vertx..");

  /** rtmp asks the cluster where a stream is (RTMP 302); it knows no node, HTTP, HLS or API. */
  @ArchTest
  static final ArchRule rtmpDependsOnCodecsStreamsAccessAndConfig = noClasses().that().resideInAPackage("io.estuary.rtmp..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.node..", "io.estuary.http..", "io.estuary.hls..",
          "io.estuary.admin..");

  /** The typed snapshot holds the data plane's option records; nothing else of ours. */
  @ArchTest
  static final ArchRule configKnowsStreamRecordsAndVertx = classes().that().resideInAPackage("io.estuary.config..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.config..", "io.estuary.stream..",
          "io.vertx..", "java..");

  @ArchTest
  static final ArchRule protocolCodecsKnowNoVerticles = noClasses()
      .that().resideInAnyPackage("io.estuary.amf..", "io.estuary.media..", "io.estuary.rtmp.codec..",
          "io.estuary.rtmp.message..")
      .should().dependOnClassesThat().resideInAPackage("io.vertx..");

  /**
   * RTMP wire state stays in rtmp: the chunk codec and the messages know no stream, client or configuration (a
   * player's shared chunks reach the encoder as rtmp.codec.SharedChunks, built by rtmp.impl from the stream's message).
   */
  @ArchTest
  static final ArchRule rtmpCodecsKnowNoStreams = noClasses()
      .that().resideInAnyPackage("io.estuary.rtmp.codec..", "io.estuary.rtmp.message..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.stream..", "io.estuary.access..",
          "io.estuary.config..", "io.estuary.rtmp.impl..");

  /**
   * The edge pulls and pushes through the public RtmpClient (rtmp's root and its messages), into and out of the data
   * plane; it reads its vhost's typed config, and knows clients (to end an encoder, to describe a publisher to a forward
   * backend) and metadata (AMF0), and Vert.x's HTTP client (SRS's forward {@code backend}), nothing else.
   */
  @ArchTest
  static final ArchRule edgeIsAClientOfTheRtmpClientAndTheDataPlane = classes().that().resideInAPackage("io.estuary.edge..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.log..", "io.estuary.edge..", "io.estuary.rtmp",
          "io.estuary.rtmp.message..", "io.estuary.stream..", "io.estuary.config..", "io.estuary.access..",
          "io.estuary.media..", "io.estuary.amf..", "io.vertx.core", "io.vertx.core.eventbus..", "io.vertx.core.json..",
          "io.vertx.core.net..", "io.vertx.core.http..", "io.vertx.core.buffer..", "io.netty.buffer..", "java..");

  /**
   * The DVR is a consumer of the data plane writing files: it knows the stream, the containers (flv, mp4), codec facts
   * and its vhost's typed options, and Netty's buffers; no Vert.x, no server, no client, no callback (the node turns a
   * finished file into on_dvr).
   */
  @ArchTest
  static final ArchRule dvrIsAConsumerOfTheDataPlaneWritingFiles = classes().that().resideInAPackage("io.estuary.dvr..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.log..", "io.estuary.dvr..", "io.estuary.stream..",
          "io.estuary.flv..", "io.estuary.mp4..", "io.estuary.media..", "io.estuary.config..", "io.netty.buffer..",
          "java..");

  @ArchTest
  static final ArchRule onlyTheNodeDrivesTheDvr = noClasses()
      .that().resideOutsideOfPackages("io.estuary.dvr..", "io.estuary.node..")
      .should().dependOnClassesThat().resideInAPackage("io.estuary.dvr..");

  /**
   * Supervised child processes (ingest, transcode, exec) read the typed configuration, hear publishes through the data
   * plane's SourceListener, know clients (a publisher's tcUrl) and Vert.x; nothing of the protocols or servers.
   */
  @ArchTest
  static final ArchRule processDependsOnConfigStreamAccessAndVertx = classes().that().resideInAPackage("io.estuary.process..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.process..", "io.estuary.config..",
          "io.estuary.stream..", "io.estuary.access..", "io.vertx.core", "io.vertx.core.json..", "java..");

  /** Nothing but the node starts children. */
  @ArchTest
  static final ArchRule onlyTheNodeKnowsTheProcesses = noClasses()
      .that().resideOutsideOfPackages("io.estuary.process..", "io.estuary.node..")
      .should().dependOnClassesThat().resideInAPackage("io.estuary.process..");

  @ArchTest
  static final ArchRule onlyTheNodeSeesTheWholePicture = noClasses().that().resideOutsideOfPackage("io.estuary.node..")
      .should().dependOnClassesThat().resideInAPackage("io.estuary.node..");

  /**
   * Vert.x internals, each in one class that says why: NetSocketInternal in RtmpChannels (the Netty pipeline under a
   * socket, for the RTMP server and client), ContextInternal in the HTTP live handler (the connection's Netty event
   * loop for its consumer), BufferInternal in the HTTP live player (a shared ByteBuf written without a copy).
   */
  @ArchTest
  static final ArchRule netSocketInternalInOneClass = noClasses()
      .that().doNotHaveFullyQualifiedName("io.estuary.rtmp.impl.RtmpChannels")
      .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.internal.net.NetSocketInternal");

  @ArchTest
  static final ArchRule contextInternalInTheLiveHandlerOnly = noClasses()
      .that().doNotHaveFullyQualifiedName("io.estuary.http.LiveHandler")
      .and().haveNameNotMatching("io\\.estuary\\.http\\.LiveHandler\\$.*")
      .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.internal.ContextInternal");

  @ArchTest
  static final ArchRule bufferInternalInTheHttpLivePlayerOnly = noClasses()
      .that().doNotHaveFullyQualifiedName("io.estuary.http.HttpLivePlayer")
      .should().dependOnClassesThat().resideInAPackage("io.vertx.core.internal.buffer..");

  /** Vert.x's connection implementation in one class: the pipeline under an HTTP/1 connection (HttpChannels). */
  @ArchTest
  static final ArchRule vertxConnectionImplInHttpChannelsOnly = noClasses()
      .that().doNotHaveFullyQualifiedName("io.estuary.http.HttpChannels")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.net.impl..", "io.vertx.core.http.impl..");

  @ArchTest
  static final ArchRule noOtherVertxInternals = noClasses()
      .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
          "Vert.x internals other than NetSocketInternal, ContextInternal and BufferInternal",
          c -> c.getPackageName().startsWith("io.vertx.core.internal")
              && !c.getName().equals("io.vertx.core.internal.net.NetSocketInternal")
              && !c.getName().equals("io.vertx.core.internal.ContextInternal")
              && !c.getName().equals("io.vertx.core.internal.buffer.BufferInternal")));

  @ArchTest
  static final ArchRule hlsDependsOnStreamMpegtsMediaAndConfig = noClasses().that().resideInAPackage("io.estuary.hls..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.rtmp..", "io.estuary.http..",
          "io.estuary.access..", "io.estuary.admin..", "io.estuary.node..", "io.estuary.amf..", "io.estuary.flv..");

  @ArchTest
  static final ArchRule httpDependsOnStreamAccessConfigFlvHlsMpegtsMedia = noClasses().that().resideInAPackage("io.estuary.http..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.rtmp..", "io.estuary.admin..",
          "io.estuary.node..", "io.estuary.amf..");

  @ArchTest
  static final ArchRule httpHooksKnowOnlyVertx = classes().that().haveNameMatching("io\\.estuary\\.admin\\.HttpHooks(\\$.*)?")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.admin..", "io.vertx..", "java..");

  /** admin sees the streams, clients, configuration and the cluster's answers (SRS's /api/v1/clusters). */
  @ArchTest
  static final ArchRule adminSeesStreamAccessConfigAndTheEventBus = noClasses().that().resideInAPackage("io.estuary.admin..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.rtmp..", "io.estuary.http..", "io.estuary.hls..",
          "io.estuary.node..", "io.estuary.flv..", "io.estuary.mpegts..", "io.estuary.amf..");

  /** The bench plays and publishes through the public RtmpClient (rtmp's root, codec, message), never rtmp.impl. */
  @ArchTest
  static final ArchRule benchIsAClientOfTheRtmpClientAndCodecs = noClasses().that().resideInAPackage("io.estuary.bench..")
      .should().dependOnClassesThat().resideInAnyPackage("io.estuary.stream..", "io.estuary.rtmp.impl..",
          "io.estuary.http..", "io.estuary.hls..", "io.estuary.admin..", "io.estuary.access..", "io.estuary.config..", "io.estuary.node..",
          "io.estuary.cluster..", "io.estuary.relay..", "io.vertx.core.internal..");

  @ArchTest
  static final ArchRule onlyTheNodeLaunchesTheBench = noClasses()
      .that().resideOutsideOfPackages("io.estuary.bench..", "io.estuary.node..")
      .should().dependOnClassesThat().resideInAPackage("io.estuary.bench..");

  /**
   * The cluster package holds the Hazelcast stream directory and node registry, and SRS's static origin cluster (where
   * a stream is published, whether a play is redirected): it knows the data plane, the configuration, clients, RTMP's
   * public API (and the edge), Vert.x (its HTTP client asks coworkers) and Hazelcast; nothing of the servers' insides.
   * The protocols ask it (rtmp's RTMP 302, http's HTTP 302, admin's /api/v1/clusters), never the other way; the edge
   * reads the directory through the data plane's StreamOwners only.
   */
  @ArchTest
  static final ArchRule clusterDependsOnStreamConfigAccessRtmpApiVertxAndHazelcast = classes()
      .that().resideInAPackage("io.estuary.cluster..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.estuary.cluster..", "io.estuary.stream..",
          "io.estuary.config..", "io.estuary.access..", "io.estuary.rtmp", "io.estuary.edge..", "io.vertx..",
          "com.hazelcast..", "java..");

  /** Hazelcast types never leave the cluster package (vertx-hazelcast's cluster manager included). */
  @ArchTest
  static final ArchRule hazelcastStaysInTheClusterPackage = noClasses()
      .that().resideOutsideOfPackage("io.estuary.cluster..")
      .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..", "io.vertx.spi.cluster.hazelcast..");
}
