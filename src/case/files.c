/* files.c - the case files a command line names, found and parsed. */
#include "case/files.h"

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CASE_FILES_DEPTH 8

static int case_files_push(struct case_files *l, const char *path, struct tr_err *err)
{
	if (l->n == CASE_FILES_MAX)
		return err_usage(err, "more than %d cases", CASE_FILES_MAX);
	l->paths[l->n] = strdup(path);
	if (!l->paths[l->n])
		return err_sys(err, "%s", path);
	l->n++;
	return 0;
}

static int case_files_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool case_files_is_case(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".pkt");
}

static int case_files_walk(struct case_files *l, const char *path, int depth, struct tr_err *err)
{
	size_t first = l->n, len = strlen(path);
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (stat(path, &st))
		return err_usage(err, "%s: no such case file or directory", path);
	if (!S_ISDIR(st.st_mode))
		return case_files_push(l, path, err);
	if (depth > CASE_FILES_DEPTH)
		return err_usage(err, "%s: directories nested too deep", path);
	d = opendir(path);
	if (!d)
		return err_sys(err, "%s", path);
	/* "cases/timewait/" given: no "//" in the names printed. */
	if (len > 1 && path[len - 1] == '/')
		len--;
	while ((de = readdir(d))) {
		char sub[PATH_MAX];
		int rc = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%.*s/%s", (int)len, path, de->d_name);
		if (stat(sub, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			rc = case_files_walk(l, sub, depth + 1, err);
		else if (case_files_is_case(de->d_name))
			rc = case_files_push(l, sub, err);
		if (rc) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	qsort(l->paths + first, l->n - first, sizeof(l->paths[0]), case_files_cmp);
	return 0;
}

int case_files_add(struct case_files *l, const char *path, struct tr_err *err)
{
	return case_files_walk(l, path, 0, err);
}

void case_files_free(struct case_files *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	l->n = 0;
}

int case_files_load(struct case_files *l, char *const *paths, size_t npaths,
		    struct case_script **scripts, struct tr_err *err)
{
	*scripts = NULL;
	for (size_t i = 0; i < npaths; i++)
		if (case_files_add(l, paths[i], err))
			return -1;
	if (l->n == 0)
		return err_usage(err, "no *.pkt case found in the paths given");
	*scripts = calloc(l->n, sizeof(**scripts));
	if (!*scripts)
		return err_sys(err, "cases");
	for (size_t i = 0; i < l->n; i++)
		if (case_parse_file_defs(l->paths[i], l->defs, &(*scripts)[i], err))
			return -1;
	return 0;
}

void case_scripts_free(struct case_script *scripts, size_t n)
{
	for (size_t i = 0; scripts && i < n; i++)
		case_script_free(&scripts[i]);
	free(scripts);
}
