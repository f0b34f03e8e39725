/* list.c: the list keys every view shares (htop's Panel_onKey): j/k and the
 * arrows, PgUp/PgDn and space, g/G and Home/End, as one move that each view
 * applies to its own selection or scroll. */
#include <curses.h>

#include "ui.h"

int
list_page(int h)
{
	return h > 4 ? h - 2 : 1;
}

int
list_key(int ch, int page, int *delta)
{
	switch (ch) {
	case KEY_DOWN:
	case 'j':
		*delta = 1;
		return 1;
	case KEY_UP:
	case 'k':
		*delta = -1;
		return 1;
	case KEY_NPAGE:
	case ' ':
		*delta = page;
		return 1;
	case KEY_PPAGE:
		*delta = -page;
		return 1;
	case 'g':
	case KEY_HOME:
		*delta = -LIST_END;
		return 1;
	case 'G':
	case KEY_END:
		*delta = LIST_END;
		return 1;
	default:
		return 0;
	}
}

void
list_show(int *scroll, int sel, int n, int h)
{
	if (sel >= 0 && sel < *scroll)
		*scroll = sel;
	if (sel >= *scroll + h)
		*scroll = sel - h + 1;
	if (*scroll > n - h)
		*scroll = n - h > 0 ? n - h : 0;
}

long
list_move(long pos, long delta, long n)
{
	pos += delta;
	if (pos >= n)
		pos = n - 1;
	if (pos < 0)
		pos = 0;
	return pos;
}
