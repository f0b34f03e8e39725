/* prompt.c: the status-line prompts: a small ASCII line editor (test-mail
 * recipient, log filter) and the y/n confirmation every destructive act
 * goes through. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

#define CTRL(c)	((c) & 0x1f)

static void
prompt_set(struct ui *u, enum prompt_kind k, int host, const char *label,
    prompt_fn *done)
{
	struct prompt *p = &u->prompt;

	memset(p, 0, sizeof *p);
	p->kind = k;
	p->done = done;
	p->host = host;
	snprintf(p->label, sizeof p->label, "%s", label);
	u->dirty = 1;
}

void
prompt_open_text(struct ui *u, const char *label, const char *init,
    int host, prompt_fn *done, prompt_fn *live, prompt_fn *cancel)
{
	struct prompt *p = &u->prompt;
	size_t i;

	prompt_set(u, PROMPT_TEXT, host, label, done);
	p->live = live;
	p->cancel = cancel;
	/* only printable ASCII ever enters the buffer */
	for (i = 0; init != NULL && init[i] != '\0' &&
	    p->len < sizeof p->buf - 1; i++)
		if (init[i] >= 0x20 && init[i] < 0x7f)
			p->buf[p->len++] = init[i];
	p->buf[p->len] = '\0';
	p->cur = p->len;
}

void
prompt_open_confirm(struct ui *u, const char *label, int host,
    prompt_fn *done)
{
	prompt_set(u, PROMPT_CONFIRM, host, label, done);
}

static void
prompt_close(struct ui *u)
{
	u->prompt.kind = PROMPT_NONE;
	u->dirty = 1;
}

static void
prompt_delete(struct prompt *p, size_t at, size_t n)
{
	if (at >= p->len)
		return;
	if (at + n > p->len)
		n = p->len - at;
	memmove(p->buf + at, p->buf + at + n, p->len - at - n + 1);
	p->len -= n;
	if (p->cur > at + n)
		p->cur -= n;
	else if (p->cur > at)
		p->cur = at;
}

/* After an edit: a prompt that follows the text (the log filter). */
static void
prompt_live(struct ui *u)
{
	if (u->prompt.live != NULL)
		u->prompt.live(u, u->prompt.host, u->prompt.buf);
}

/* Esc or n: the prompt's own cancel, else "cancelled". */
static void
prompt_cancel(struct ui *u, const struct prompt *p)
{
	if (p->cancel != NULL)
		p->cancel(u, p->host, NULL);
	else
		ui_message(u, 0, "cancelled");
}

static void
prompt_text_key(struct ui *u, int ch)
{
	struct prompt *p = &u->prompt;
	char text[PROMPT_MAX];
	size_t w;

	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		/* the act may open another prompt: hand it a copy */
		memcpy(text, p->buf, sizeof text);
		prompt_close(u);
		if (p->done != NULL)
			p->done(u, p->host, text);
		return;
	case 27:
	case CTRL('g'):
		prompt_close(u);
		prompt_cancel(u, p);
		return;
	case KEY_BACKSPACE:
	case 127:
	case CTRL('h'):
		if (p->cur > 0)
			prompt_delete(p, p->cur - 1, 1);
		break;
	case KEY_DC:
	case CTRL('d'):
		prompt_delete(p, p->cur, 1);
		break;
	case KEY_LEFT:
	case CTRL('b'):
		if (p->cur > 0)
			p->cur--;
		break;
	case KEY_RIGHT:
	case CTRL('f'):
		if (p->cur < p->len)
			p->cur++;
		break;
	case KEY_HOME:
	case CTRL('a'):
		p->cur = 0;
		break;
	case KEY_END:
	case CTRL('e'):
		p->cur = p->len;
		break;
	case CTRL('u'):
		prompt_delete(p, 0, p->cur);
		break;
	case CTRL('k'):
		prompt_delete(p, p->cur, p->len - p->cur);
		break;
	case CTRL('w'):
		w = p->cur;
		while (w > 0 && p->buf[w - 1] == ' ')
			w--;
		while (w > 0 && p->buf[w - 1] != ' ')
			w--;
		prompt_delete(p, w, p->cur - w);
		break;
	default:
		if (ch < 0x20 || ch >= 0x7f || p->len >= sizeof p->buf - 1)
			return;
		memmove(p->buf + p->cur + 1, p->buf + p->cur,
		    p->len - p->cur + 1);
		p->buf[p->cur++] = (char)ch;
		p->len++;
		break;
	}
	prompt_live(u);
	u->dirty = 1;
}

void
prompt_key(struct ui *u, int ch)
{
	struct prompt *p = &u->prompt;
	prompt_fn *done = p->done;
	int host = p->host;

	if (ch == KEY_RESIZE || ch == KEY_MOUSE) {
		u->dirty = 1;
		return;
	}
	if (p->kind == PROMPT_TEXT) {
		prompt_text_key(u, ch);
		return;
	}
	switch (ch) {
	case 'y':
	case 'Y':
		prompt_close(u);
		if (done != NULL)
			done(u, host, NULL);
		break;
	case 'n':
	case 'N':
	case 'q':
	case 27:
	case CTRL('g'):
		prompt_close(u);
		ui_message(u, 0, "cancelled");
		break;
	default:
		break;
	}
}

void
prompt_draw(struct ui *u, int y)
{
	struct prompt *p = &u->prompt;
	int attr = ui_attr(u, R_STATUS), x, avail;
	size_t start = 0;
	char cell[2] = { ' ', '\0' };

	ui_blank(y, 0, COLS, attr);
	x = ui_text(y, 0, COLS, p->label, attr | A_BOLD);
	if (p->kind == PROMPT_CONFIRM) {
		ui_text(y, x, COLS - x, " [y/n]", attr | A_BOLD);
		return;
	}
	avail = COLS - x - 1;
	if (avail < 4)
		return;
	if (p->cur >= (size_t)avail)
		start = p->cur - (size_t)avail + 1;
	ui_text(y, x, avail, p->buf + start, attr);
	if (p->cur < p->len)
		cell[0] = p->buf[p->cur];
	ui_text(y, x + (int)(p->cur - start), 1, cell, A_REVERSE);
}
