/* config-file.c: the config.h entry points: read a hosts.ini file (regular
 * file, at most 1 MiB) or take a string, and hand it to the parser in
 * config.c; look hosts up by name; free the inventory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-keys-int.h"
#include "config.h"

int
config_load_string(const char *text, const char *name,
    struct inventory *inv, char *err, size_t errlen)
{
	memset(inv, 0, sizeof(*inv));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (text == NULL || name == NULL)
		return -1;
	if (strlen(text) > CFG_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than 1 MiB", name);
		return -1;
	}
	return cfg_parse_buffer(text, strlen(text), name, inv, err, errlen);
}

int
config_load(const char *path, struct inventory *inv, char *err,
    size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t r;
	int fd, rc = -1;

	memset(inv, 0, sizeof(*inv));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > CFG_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than 1 MiB", path);
		goto out;
	}
	if ((buf = malloc(CFG_MAX_FILE + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	/* Read to EOF: the file may have grown since fstat. */
	while (len <= CFG_MAX_FILE) {
		r = read(fd, buf + len, CFG_MAX_FILE + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > CFG_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than 1 MiB", path);
		goto out;
	}
	rc = cfg_parse_buffer(buf, len, path, inv, err, errlen);
out:
	free(buf);
	close(fd);
	return rc;
}

int
config_find(const struct inventory *inv, const char *name)
{
	size_t i;

	if (inv == NULL || name == NULL)
		return -1;
	for (i = 0; i < inv->n; i++)
		if (strcmp(inv->hosts[i].name, name) == 0)
			return (int)i;
	return -1;
}

void
config_free(struct inventory *inv)
{
	if (inv == NULL)
		return;
	free(inv->hosts);
	free(inv->peers);
	memset(inv, 0, sizeof(*inv));
}
