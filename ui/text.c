/* text.c: the only way text reaches the screen. Every string, remote or
 * not, goes through sanitize_copy, then is cut by display width (wcwidth)
 * at a character boundary, so no control byte or escape is ever emitted. */
#include <curses.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"
#include "ui.h"

#define TEXT_IN_MAX	2048	/* bytes of input considered per call */
#define TEXT_W_MAX	1024	/* columns drawn per call */

int
ui_utf8(void)
{
	static int cached = -1;
	const char *cs;

	if (cached < 0) {
		cs = nl_langinfo(CODESET);
		cached = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
		    strcmp(cs, "utf8") == 0);
	}
	return cached;
}

/* Decodes the sanitised s into printable wide characters with their
 * widths; anything the locale cannot show becomes '?'. Returns count. */
static size_t
text_decode(const char *s, wchar_t *wc, int *wd, size_t max)
{
	mbstate_t st;
	size_t len = strlen(s), i = 0, n = 0, k;
	wchar_t c;
	int w;

	memset(&st, 0, sizeof st);
	while (i < len && n < max) {
		k = mbrtowc(&c, s + i, len - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			c = L'?';
			k = 1;
		}
		i += k;
		w = wcwidth(c);
		if (w < 0 || c < 0x20 || (c >= 0x7f && c < 0xa0)) {
			c = L'?';
			w = 1;
		}
		/* a combining mark with nothing before it: drop it */
		if (w == 0 && n == 0)
			continue;
		wc[n] = c;
		wd[n] = w;
		n++;
	}
	return n;
}

int
ui_width(const char *s)
{
	static wchar_t wc[TEXT_W_MAX];
	static int wd[TEXT_W_MAX];
	char buf[TEXT_IN_MAX];
	size_t n, i;
	int w = 0;

	if (s == NULL)
		return 0;
	sanitize_copy(buf, sizeof buf, s, strnlen(s, TEXT_IN_MAX - 1));
	n = text_decode(buf, wc, wd, TEXT_W_MAX);
	for (i = 0; i < n; i++)
		w += wd[i];
	return w;
}

int
ui_text(int y, int x, int w, const char *s, int attr)
{
	static wchar_t wc[TEXT_W_MAX + 1];
	static int wd[TEXT_W_MAX];
	char buf[TEXT_IN_MAX];
	size_t n, i, keep;
	int total = 0, used = 0;

	if (s == NULL || w <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	sanitize_copy(buf, sizeof buf, s, strnlen(s, TEXT_IN_MAX - 1));
	n = text_decode(buf, wc, wd, TEXT_W_MAX);
	for (i = 0; i < n; i++)
		total += wd[i];
	keep = n;
	if (total > w) {
		/* cut to w - 1 columns and end with an ellipsis */
		used = 0;
		for (keep = 0; keep < n && used + wd[keep] <= w - 1; keep++)
			used += wd[keep];
		while (keep < n && wd[keep] == 0)
			keep++;
		wc[keep++] = ui_utf8() ? L'\u2026' : L'~';
		used++;
	} else
		used = total;
	if (keep == 0)
		return 0;
	attron(attr);
	mvaddnwstr(y, x, wc, (int)keep);
	attroff(attr);
	return used;
}

int
ui_text_pad(int y, int x, int w, const char *s, int attr)
{
	int used = ui_text(y, x, w, s, attr);

	if (used < w)
		ui_blank(y, x + used, w - used, attr);
	return w;
}

int
ui_textf(int y, int x, int w, int attr, const char *fmt, ...)
{
	char buf[TEXT_IN_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ui_text(y, x, w, buf, attr);
}

void
ui_blank(int y, int x, int w, int attr)
{
	int i;

	if (y < 0 || y >= LINES || x < 0 || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	attron(attr);
	for (i = 0; i < w; i++)
		mvaddch(y, x + i, ' ');
	attroff(attr);
}

int
vl_next(struct vlines *v)
{
	int i = v->n++;

	if (i < v->scroll || i >= v->scroll + v->h)
		return -1;
	return v->top + i - v->scroll;
}

void
vl_clamp(int *scroll, int n, int h)
{
	if (*scroll > n - h)
		*scroll = n - h;
	if (*scroll < 0)
		*scroll = 0;
}
