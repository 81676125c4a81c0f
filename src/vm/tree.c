/* tree.c - see tree.h. */
#include "vm/tree.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int tree_walk(const struct tree_sink *sink, const char *name, const char *src, int depth,
		     struct tr_err *err)
{
	struct dirent **names;
	struct stat st;
	int n, rc = 0;

	if (stat(src, &st))
		return err_sys(err, "%s", src);
	if (S_ISREG(st.st_mode))
		return sink->file(sink->ctx, name, src, err);
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (depth > TREE_DEPTH)
		return err_usage(err, "%s: directories nested more than %d deep", src, TREE_DEPTH);
	if (sink->dir(sink->ctx, name, err))
		return -1;
	n = scandir(src, &names, NULL, alphasort);
	if (n < 0)
		return err_sys(err, "%s", src);
	for (int i = 0; i < n; i++) {
		char sub_src[PATH_MAX], sub[PATH_MAX];

		if (!rc && names[i]->d_name[0] != '.') {
			if ((size_t)snprintf(sub_src, sizeof(sub_src), "%s/%s", src,
					     names[i]->d_name) >= sizeof(sub_src) ||
			    (size_t)snprintf(sub, sizeof(sub), "%s/%s", name, names[i]->d_name) >=
				    sizeof(sub))
				rc = err_usage(err, "%s/%s: path too long", src, names[i]->d_name);
			else
				rc = tree_walk(sink, sub, sub_src, depth + 1, err);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int tree_add(const struct tree_sink *sink, const char *name, const char *src, struct tr_err *err)
{
	return tree_walk(sink, name, src, 0, err);
}
