package io.inet4j.socket;

/** A socket address ({@code struct sockaddr}): its family decides what follows. */
public interface SockAddr {
    int family();

    /** An out-parameter for calls that report an address ({@code getsockname}, {@code accept}). */
    final class Holder {
        public SockAddr value;
    }

    /** {@code AF_UNSPEC}: what {@code connect()} takes to dissolve an association. */
    SockAddr UNSPEC = () -> AddressFamily.AF_UNSPEC;
}
