/* config-instances.c: Postfix instances (postmulti) in the inventory: the
 * `instances` key (which of a host's instances are watched) and the entries
 * the watch adds, one per instance found, in the room config_load keeps. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "shquote.h"

#define SEPS	", \t"

static int
name_ok(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n >= 64 || (n == 1 && p[0] == '-'))
		return 0;
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int
config_instances_valid(const char *value)
{
	const char *p = value;
	int names = 0;

	if (strcmp(value, "all") == 0 || strcmp(value, "none") == 0)
		return 1;
	while (*p != '\0') {
		size_t n;

		p += strspn(p, SEPS);
		n = strcspn(p, SEPS);
		if (n == 0)
			break;
		if (!name_ok(p, n) || (n == 3 && strncmp(p, "all", 3) == 0) ||
		    (n == 4 && strncmp(p, "none", 4) == 0))
			return 0;
		names++;
		p += n;
	}
	return names > 0;
}

int
config_instance_wanted(const struct host_config *h, const char *name,
    int enabled)
{
	const char *p = h->instances;
	size_t len = strlen(name);

	if (p[0] == '\0' || strcmp(p, "all") == 0)
		return enabled;
	if (strcmp(p, "none") == 0)
		return 0;
	while (*p != '\0') {
		size_t n;

		p += strspn(p, SEPS);
		n = strcspn(p, SEPS);
		if (n == len && n > 0 && strncmp(p, name, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

static int
syslog_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < CFG_NAME_MAX &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._/-") == n;
}

int
config_add_instance(struct inventory *inv, size_t cap, int parent,
    const char *name, const char *config_dir, const char *syslog_name)
{
	struct host_config *h;
	const struct host_config *p;
	char pname[CFG_NAME_MAX];
	if (parent < 0 || (size_t)parent >= inv->n || inv->n >= cap ||
	    !name_ok(name, strlen(name)) || !valid_path(config_dir) ||
	    strlen(config_dir) >= sizeof(h->postfix_config) ||
	    !syslog_ok(syslog_name))
		return -1;
	p = &inv->hosts[parent];
	if (p->instance[0] != '\0')
		return -1;		/* instances of an instance: none */
	h = &inv->hosts[inv->n];
	memcpy(pname, p->name, sizeof(pname));
	*h = *p;
	if (snprintf(h->name, sizeof(h->name), "%s/%s", pname, name) >=
	    (int)sizeof(h->name))
		return -1;
	strcpy(h->instance, name);
	h->instance_of = parent;
	strcpy(h->syslog_name, syslog_name);
	strcpy(h->postfix_config, config_dir);
	strcpy(h->instances, "none");
	return (int)inv->n++;
}
