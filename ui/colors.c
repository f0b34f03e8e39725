/* colors.c: colour pairs per role, and the monochrome fallback (NO_COLOR,
 * --no-color, or a terminal without colours) that keeps every state
 * readable with bold, reverse, underline and dim. */
#include <curses.h>
#include <stdlib.h>

#include "ui.h"

static const struct {
	short	fg, bg;
	int	extra;		/* added to the colour pair */
	int	mono;		/* used alone without colour */
} roles[R_MAX] = {
	[R_NORMAL]	= { -1, -1, 0, A_NORMAL },
	[R_HEADER]	= { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[R_TITLE]	= { COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[R_SELECTED]	= { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[R_GOOD]	= { COLOR_GREEN, -1, 0, A_NORMAL },
	[R_WARN]	= { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[R_BAD]		= { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[R_DIM]		= { -1, -1, A_DIM, A_DIM },
	[R_ACCENT]	= { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[R_STATUS]	= { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
	[R_KEY]		= { COLOR_BLUE, COLOR_WHITE, A_BOLD, A_REVERSE | A_BOLD },
	[R_BADGE]	= { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
};

void
colors_init(struct ui *u)
{
	const char *nc = getenv("NO_COLOR");
	int r;

	u->color = 0;
	if (u->o->no_color || (nc != NULL && nc[0] != '\0') || !has_colors())
		return;
	if (start_color() == ERR)
		return;
	use_default_colors();
	for (r = 1; r < R_MAX && r < COLOR_PAIRS; r++)
		init_pair((short)r, roles[r].fg, roles[r].bg);
	u->color = 1;
}

int
ui_attr(const struct ui *u, enum ui_role r)
{
	if (r < 0 || r >= R_MAX)
		r = R_NORMAL;
	if (!u->color)
		return roles[r].mono;
	if (r == R_NORMAL)
		return A_NORMAL;
	if (r == R_DIM)
		return A_DIM;
	return (int)COLOR_PAIR(r) | roles[r].extra;
}

enum ui_role
role_for_tone(enum word_tone t)
{
	switch (t) {
	case TONE_GOOD:
		return R_GOOD;
	case TONE_WARN:
		return R_WARN;
	case TONE_BAD:
		return R_BAD;
	case TONE_DIM:
		return R_DIM;
	case TONE_ACCENT:
		return R_ACCENT;
	case TONE_NORMAL:
	default:
		return R_NORMAL;
	}
}

enum ui_role
role_for_host(const struct host *h, time_t now)
{
	return role_for_tone(host_tone(h, now));
}

enum ui_role
role_for_edge(enum edge_state s)
{
	switch (s) {
	case EDGE_SENT:
	case EDGE_HANDOFF:
		return R_GOOD;
	case EDGE_DEFERRED:
		return R_WARN;
	case EDGE_REFUSED:
	case EDGE_BOUNCED:
		return R_BAD;
	default:
		return R_DIM;
	}
}
