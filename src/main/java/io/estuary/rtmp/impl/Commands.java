package io.estuary.rtmp.impl;

import io.estuary.rtmp.RtmpCapabilities;
import io.estuary.rtmp.message.CommandMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AMF commands and status objects of an RTMP session, for both sides: what the server session and its roles
 * reply, as SRS replies (srs_protocol_rtmp_stack.cpp), what the client session sends, as FFmpeg sends it
 * (libavformat/rtmpproto.c), and how either side reads a status object (RTMP spec 7.2.2: level, code, description).
 */
final class Commands {

  static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
  static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
  static final String PUBLISH_START = "NetStream.Publish.Start";
  static final String PLAY_START = "NetStream.Play.Start";
  /** Enhanced RTMP v2's request to reconnect, a NetConnection status. */
  static final String RECONNECT_REQUEST = "NetConnection.Connect.ReconnectRequest";

  /** The 302 code SRS puts in {@code ex.code} of a Connect.Rejected status to redirect a player. */
  private static final int REDIRECT = 302;
  /** What FFmpeg sends as flashVer when it publishes. */
  private static final String PUBLISH_FLASH_VER = "FMLE/3.0 (compatible; FMSc/1.0)";

  private Commands() {
  }

  // ---- status objects ----

  /** A status information object: level ("status" or "error"), code, description, in that order. */
  static Map<String, Object> status(String level, String code, String description) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("level", level);
    info.put("code", code);
    info.put("description", description);
    return info;
  }

  static Map<String, Object> publishStart() {
    return status("status", PUBLISH_START, "Started publishing stream.");
  }

  static Map<String, Object> unpublishSuccess() {
    return status("status", "NetStream.Unpublish.Success", "Stop publishing stream.");
  }

  static Map<String, Object> playReset(String stream) {
    return withDetails(status("status", "NetStream.Play.Reset", "Playing and resetting " + stream + "."), stream);
  }

  static Map<String, Object> playStart(String stream) {
    return withDetails(status("status", PLAY_START, "Started playing " + stream + "."), stream);
  }

  /** FFmpeg ends its input on it; Flash players wait for a new publish. */
  static Map<String, Object> unpublishNotify() {
    return status("status", "NetStream.Play.UnpublishNotify", "stream is now unpublished.");
  }

  static Map<String, Object> connectRejected(String description, String clientId) {
    return withClientId(status("error", CONNECT_REJECTED, description), clientId);
  }

  static Map<String, Object> publishBadName(String clientId) {
    return withClientId(status("error", "NetStream.Publish.BadName", "Stream already publishing"), clientId);
  }

  private static Map<String, Object> withDetails(Map<String, Object> info, String stream) {
    info.put("details", stream);
    return info;
  }

  private static Map<String, Object> withClientId(Map<String, Object> info, String clientId) {
    info.put("clientid", clientId);
    return info;
  }

  // ---- server replies ----

  /** {@code name} (onStatus, onFCPublish, onFCUnpublish) with {@code info} on {@code streamId}. */
  static CommandMessage notify(int streamId, String name, Map<String, Object> info) {
    return new CommandMessage(streamId, name, 0, null, info);
  }

  static CommandMessage onStatus(int streamId, Map<String, Object> info) {
    return notify(streamId, "onStatus", info);
  }

  /** The _result of {@code command}, on its stream and transaction, with no command object. */
  static CommandMessage result(CommandMessage command, Object value) {
    return new CommandMessage(command.streamId(), "_result", command.transactionId(), null, value);
  }

  /**
   * The _result of {@code connect}: FMS 3.5's properties, with the server's Enhanced RTMP capabilities ({@code offer},
   * none for a legacy client), and Connect.Success in the client's object encoding.
   */
  static CommandMessage connectResult(CommandMessage connect, Object objectEncoding, RtmpCapabilities offer) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("fmsVer", "FMS/3,5,3,888");
    properties.put("capabilities", 127.0);
    properties.put("mode", 1.0);
    offer.writeTo(properties);
    Map<String, Object> information = status("status", CONNECT_SUCCESS, "Connection succeeded");
    information.put("objectEncoding", objectEncoding);
    return new CommandMessage(0, "_result", connect.transactionId(), properties, information);
  }

  /**
   * Enhanced RTMP v2's Reconnect Request: a NetConnection onStatus (stream 0, transaction 0, null command object),
   * level status, with the {@code tcUrl} to reconnect to (absent: the connection's own) and a {@code description}.
   */
  static CommandMessage reconnectRequest(String tcUrl, String description) {
    Map<String, Object> info = status("status", RECONNECT_REQUEST, description);
    if (tcUrl != null) {
      info.put("tcUrl", tcUrl);
    }
    return onStatus(0, info);
  }

  static CommandMessage onBWDone() {
    return new CommandMessage(0, "onBWDone", 0, null, 0.0);
  }

  // ---- client requests ----

  /**
   * {@code connect} as FFmpeg sends it (gen_connect): a publisher says FMLE unless a flashVer was chosen; with the
   * Enhanced RTMP capabilities {@code announce}d, as FFmpeg 7 puts its fourCcList, after the legacy properties.
   */
  static CommandMessage connect(double transactionId, String app, String tcUrl, String flashVer, boolean defaultFlashVer,
                                boolean publisher, RtmpCapabilities announce) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("app", app);
    if (publisher) {
      info.put("type", "nonprivate");
    }
    info.put("flashVer", publisher && defaultFlashVer ? PUBLISH_FLASH_VER : flashVer);
    info.put("tcUrl", tcUrl);
    if (!publisher) {
      info.put("fpad", false);
      info.put("capabilities", 15.0);
      info.put("audioCodecs", 4071.0);
      info.put("videoCodecs", 252.0);
      info.put("videoFunction", 1.0);
    }
    announce.writeTo(info);
    return new CommandMessage(0, "connect", transactionId, info);
  }

  /** A request with no command object: createStream, play, publish, releaseStream, FCPublish. */
  static CommandMessage request(int streamId, String name, double transactionId, Object... arguments) {
    return new CommandMessage(streamId, name, transactionId, null, arguments);
  }

  // ---- reading a status ----

  static boolean isError(Map<?, ?> info) {
    return "error".equals(info.get("level"));
  }

  /**
   * SRS's RTMP 302 (SrsRtmpServer::redirect): an error onStatus NetConnection.Connect.Rejected, "RTMP 302 Redirect",
   * with {@code ex: {code: 302, redirect: tcUrl, redirect2: url}}, on stream 0 (SRS sends it there, after the play's
   * Play.Start), transaction 0 and a null command object. {@link #redirect(Map)} reads it back.
   */
  static CommandMessage redirect(String tcUrl, String url) {
    Map<String, Object> ex = new LinkedHashMap<>();
    ex.put("code", (double) REDIRECT);
    ex.put("redirect", tcUrl);
    ex.put("redirect2", url);
    Map<String, Object> info = status("error", CONNECT_REJECTED, "RTMP 302 Redirect");
    info.put("ex", ex);
    return onStatus(0, info);
  }

  /** SRS's RTMP 302 (an error Connect.Rejected whose {@code ex.code} is 302): its {@code ex} object, else null. */
  static Map<?, ?> redirect(Map<?, ?> info) {
    return info.get("ex") instanceof Map<?, ?> ex && ex.get("code") instanceof Number code
        && code.intValue() == REDIRECT && CONNECT_REJECTED.equals(info.get("code")) ? ex : null;
  }

  /** "code (description)" from a status information object, or from an _error carrying one. */
  static String describe(Object statusOrCommand) {
    if (statusOrCommand instanceof CommandMessage command) {
      for (Object arg : command.arguments()) {
        if (arg instanceof Map<?, ?> info && info.get("code") != null) {
          return describe(info);
        }
      }
      return command.name() + " " + command.arguments();
    }
    Map<?, ?> info = (Map<?, ?>) statusOrCommand;
    return info.get("code") + (info.get("description") == null ? "" : " (" + info.get("description") + ")");
  }
}
