#include "lab/caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lab/names.h"

#define CAPS_BIT(cap) (UINT64_C(1) << (cap))

static int caps_get(struct __user_cap_data_struct data[2], struct tr_err *err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };

	memset(data, 0, 2 * sizeof(*data));
	if (syscall(SYS_capget, &hdr, data))
		return err_sys(err, "caps: capget");
	return 0;
}

static uint64_t caps_join(uint32_t lo, uint32_t hi)
{
	return (uint64_t)hi << 32 | lo;
}

/* unlink() in /run/netns needs no capability when the effective uid owns
 * the directory and may write there (root and the directory it made). */
static bool caps_unlink_needs_override(void)
{
	struct stat st;

	if (stat(LAB_NETNS_DIR, &st))
		return true;
	return st.st_uid != geteuid() ||
	       (st.st_mode & (S_IWUSR | S_IXUSR)) != (S_IWUSR | S_IXUSR);
}

uint64_t caps_teardown_mask(void)
{
	uint64_t keep = CAPS_BIT(CAP_SYS_ADMIN);

	if (caps_unlink_needs_override())
		keep |= CAPS_BIT(CAP_DAC_OVERRIDE);
	return keep;
}

/* The bounding set only shrinks, and only with CAP_SETPCAP in effect: it is
 * what a later execve() could get back, so drop it first, while we can. */
static int caps_drop_bounding(uint64_t keep, uint64_t eff, struct tr_err *err)
{
	if (!(eff & CAPS_BIT(CAP_SETPCAP)))
		return 0;
	/* PR_CAPBSET_READ fails with EINVAL past the kernel's last capability. */
	for (int cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (keep & CAPS_BIT(cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			return err_sys(err, "caps: drop capability %d from the bounding set", cap);
	}
	return 0;
}

int caps_drop_to_teardown(struct tr_err *err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	uint64_t keep, eff;

	if (caps_get(data, err))
		return -1;
	eff = caps_join(data[0].effective, data[1].effective);
	keep = caps_teardown_mask() & caps_join(data[0].permitted, data[1].permitted);
	if (caps_drop_bounding(keep, eff, err))
		return -1;
	/* EINVAL: a kernel before ambient capabilities (4.3) has none to clear. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return err_sys(err, "caps: clear the ambient set");
	for (int i = 0; i < 2; i++) {
		data[i].effective = data[i].permitted = (uint32_t)(keep >> (32 * i));
		data[i].inheritable = 0;
	}
	if (syscall(SYS_capset, &hdr, data))
		return err_sys(err, "caps: capset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return err_sys(err, "caps: no_new_privs");
	return 0;
}
