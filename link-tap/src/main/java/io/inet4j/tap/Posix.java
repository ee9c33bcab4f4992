package io.inet4j.tap;

import java.nio.ByteBuffer;
import jnr.constants.platform.Errno;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.uintptr_t;

/** The loaded {@link LibC} and the errno and address helpers that go with it. */
final class Posix {
    static final LibC C = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);
    private static final com.kenai.jffi.MemoryIO MEMORY = com.kenai.jffi.MemoryIO.getInstance();

    private Posix() {}

    /**
     * The few libc calls a TAP link needs, bound through jnr-ffi. Buffers cross as raw addresses
     * ({@code uintptr_t}) so jnr marshals nothing: a frame goes from a pooled direct buffer to the kernel and back
     * without a copy on the Java side. Public only for the JVM's sake: jnr implements it in a class loader of its
     * own; the package-private outer class still hides it from users.
     */
    public interface LibC {
        // Linux generic ABI values (x86-64 and arm64 agree).
        int O_RDWR = 0x2;
        int O_NONBLOCK = 0x800;
        int O_CLOEXEC = 0x80000;
        int EFD_NONBLOCK = O_NONBLOCK;
        int EFD_CLOEXEC = O_CLOEXEC;
        int AF_INET = 2;
        int SOCK_DGRAM = 2;
        int SOCK_CLOEXEC = O_CLOEXEC;
        short POLLIN = 0x1;
        short POLLERR = 0x8;
        short POLLHUP = 0x10;
        short POLLNVAL = 0x20;
        /** {@code _IOW('T', 202, int)} from {@code include/uapi/linux/if_tun.h}. */
        long TUNSETIFF = 0x400454caL;
        /** {@code _IOW('T', 208, unsigned int)}: the offloads we take from the kernel. */
        long TUNSETOFFLOAD = 0x400454d0L;
        /** {@code TUN_F_CSUM}: frames may carry partial checksums. */
        int TUN_F_CSUM = 0x01;
        /** {@code TUN_F_TSO4}: frames may be TCPv4 super-segments. */
        int TUN_F_TSO4 = 0x02;
        /** From {@code include/uapi/linux/sockios.h}. */
        long SIOCSIFMTU = 0x8922L;

        int open(String path, int flags);

        int ioctl(int fd, @uintptr_t long request, @In @Out byte[] ifreq);

        int ioctl(int fd, @uintptr_t long request, @uintptr_t long arg);

        @ssize_t long read(int fd, @uintptr_t long buf, @size_t long count);

        @ssize_t long write(int fd, @uintptr_t long buf, @size_t long count);

        @ssize_t long writev(int fd, @uintptr_t long iov, int iovcnt);

        int poll(@uintptr_t long fds, int nfds, int timeoutMillis);

        int eventfd(int initval, int flags);

        int socket(int domain, int type, int protocol);

        int close(int fd);
    }

    /** errno of the last call on this thread; read it before the next native call. */
    static int errno() { return LastError.getLastError(RUNTIME); }

    /** {@code EBUSY (Device or resource busy)}, or the bare number if this platform does not know it. */
    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name() + " (" + e.description() + ")";
    }

    /**
     * Where a direct buffer's byte 0 lives. jffi reads the buffer's address field; {@code jnr.ffi.Pointer.wrap} would
     * allocate a pointer object on every read and write of a frame.
     */
    static long address(ByteBuffer direct) {
        return MEMORY.getDirectBufferAddress(direct);
    }
}
