package io.inet4j.hook;

/** Where hooks attach, the analog of {@code enum cgroup_bpf_attach_type}. */
public enum HookPoint {
    INET_SOCK_CREATE, INET4_BIND, INET4_POST_BIND, INET4_CONNECT, SOCK_OPS, UDP4_SENDMSG,
    PRE_ROUTING, LOCAL_IN, LOCAL_OUT, POST_ROUTING
}
