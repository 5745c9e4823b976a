/* kind_bpf.c - BPF maps, programs and links (see kind_bpf.h).
 *
 * fdinfo keys read (kernel/bpf/syscall.c, 6.x):
 *   map:   "map_type:\t2" (enum bpf_map_type), "map_id:\t26"
 *   prog:  "prog_type:\t1" (enum bpf_prog_type), "prog_tag:\t59f4a931744dcdc6",
 *          "prog_id:\t222"
 *   link:  "link_type:\tnetns" (a name, or "<N>" for one the kernel cannot
 *          name), "link_id:\t5", "prog_tag:\t...", "prog_id:\t223"
 * The type names are the enums' tails in lower case, as bpftool prints them;
 * a number past the tables is shown as such ("type 40"). */
#include "kinds/kind_bpf.h"
#include "kinds/fdinfo_kv.h"

#include <stdio.h>
#include <string.h>

static const char *const map_types[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash",
	"percpu_array", "stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash",
	"lpm_trie", "array_of_maps", "hash_of_maps", "devmap", "sockmap", "cpumap",
	"xskmap", "sockhash", "cgroup_storage", "reuseport_sockarray",
	"percpu_cgroup_storage", "queue", "stack", "sk_storage", "devmap_hash",
	"struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter",
	"user_ringbuf", "cgrp_storage", "arena",
};

static const char *const prog_types[] = {
	"unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint",
	"xdp", "perf_event", "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out",
	"lwt_xmit", "sock_ops", "sk_skb", "cgroup_device", "sk_msg", "raw_tracepoint",
	"cgroup_sock_addr", "lwt_seg6local", "lirc_mode2", "sk_reuseport",
	"flow_dissector", "cgroup_sysctl", "raw_tracepoint_writable", "cgroup_sockopt",
	"tracing", "struct_ops", "ext", "lsm", "sk_lookup", "syscall", "netfilter",
};

const char *bpf_object_name(enum bpf_object o)
{
	switch (o) {
	case BPF_OBJ_MAP: return "map";
	case BPF_OBJ_PROG: return "prog";
	case BPF_OBJ_LINK: return "link";
	default: return "?";
	}
}

static void type_name(const char *const *names, size_t n, long long v, char *buf, size_t cap)
{
	if (v >= 0 && (size_t)v < n)
		snprintf(buf, cap, "%s", names[v]);
	else
		snprintf(buf, cap, "type %lld", v);
}

void bpf_parse_fdinfo(enum bpf_object o, const char *buf, size_t len, struct bpf_detail *out)
{
	struct fdinfo_kv kv;
	size_t off = 0;
	long long v;

	memset(out, 0, sizeof(*out));
	out->obj = o;
	out->id = out->prog_id = -1;
	while (fdinfo_kv_next(buf, len, &off, &kv)) {
		if (o == BPF_OBJ_MAP && fdinfo_kv_is(&kv, "map_type") && fdinfo_kv_ll(&kv, 10, &v) == 0)
			type_name(map_types, ARRAY_LEN(map_types), v, out->type, sizeof(out->type));
		else if (o == BPF_OBJ_MAP && fdinfo_kv_is(&kv, "map_id") && fdinfo_kv_ll(&kv, 10, &v) == 0)
			out->id = v;
		else if (o == BPF_OBJ_PROG && fdinfo_kv_is(&kv, "prog_type") && fdinfo_kv_ll(&kv, 10, &v) == 0)
			type_name(prog_types, ARRAY_LEN(prog_types), v, out->type, sizeof(out->type));
		else if (o == BPF_OBJ_PROG && fdinfo_kv_is(&kv, "prog_id") && fdinfo_kv_ll(&kv, 10, &v) == 0)
			out->id = v;
		else if (o == BPF_OBJ_LINK && fdinfo_kv_is(&kv, "link_type"))
			fdinfo_kv_str(&kv, out->type, sizeof(out->type));
		else if (o == BPF_OBJ_LINK && fdinfo_kv_is(&kv, "link_id") && fdinfo_kv_ll(&kv, 10, &v) == 0)
			out->id = v;
		else if (o == BPF_OBJ_LINK && fdinfo_kv_is(&kv, "prog_id") && fdinfo_kv_ll(&kv, 10, &v) == 0)
			out->prog_id = v;
		else if (o == BPF_OBJ_PROG && fdinfo_kv_is(&kv, "prog_tag"))
			fdinfo_kv_str(&kv, out->tag, sizeof(out->tag));
	}
}

void bpf_text(const struct bpf_detail *d, struct strbuf *o)
{
	sb_adds(o, bpf_object_name(d->obj));
	if (d->type[0])
		sb_printf(o, " %s", d->type);
	if (d->id >= 0)
		sb_printf(o, " id %lld", d->id);
	if (d->tag[0])
		sb_printf(o, " tag %s", d->tag);
	if (d->prog_id >= 0)
		sb_printf(o, " prog %lld", d->prog_id);
}

void bpf_json(const struct bpf_detail *d, struct json *j)
{
	json_object_begin(j);
	json_kv_string(j, "object", bpf_object_name(d->obj));
	json_kv_string(j, "type", d->type[0] ? d->type : NULL);
	if (d->id >= 0)
		json_kv_int(j, "id", d->id);
	else
		json_kv_null(j, "id");
	if (d->obj == BPF_OBJ_LINK) {
		if (d->prog_id >= 0)
			json_kv_int(j, "prog_id", d->prog_id);
		else
			json_kv_null(j, "prog_id");
	}
	if (d->obj == BPF_OBJ_PROG)
		json_kv_string(j, "tag", d->tag[0] ? d->tag : NULL);
	json_object_end(j);
}
