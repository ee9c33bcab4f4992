package io.inet4j.socket;

/** The socket-level state ({@code socket_state} in {@code include/uapi/linux/net.h}). */
public enum SocketState {
    SS_FREE, SS_UNCONNECTED, SS_CONNECTING, SS_CONNECTED, SS_DISCONNECTING
}
