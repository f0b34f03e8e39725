/* logsum-int.h: the table and qid-set helpers shared by the logsum
 * files (logsum-table.c, logsum.c, logsum-file.c, logsum-print.c). */
#ifndef RELAYTOP_LOGSUM_INT_H
#define RELAYTOP_LOGSUM_INT_H

#include <stdint.h>

#include "logsum.h"

uint64_t logsum_hash(const char *p, size_t n);
int	logsum_table_init(struct logsum_table *t, size_t max);
void	logsum_table_free(struct logsum_table *t);
struct logsum_entry *logsum_table_get(struct logsum_table *t,
	    const char *key, size_t n, uint64_t h);
void	logsum_table_add(struct logsum_table *t, const char *key, size_t n,
	    int st, uint64_t count);
void	logsum_table_merge(struct logsum_table *dst,
	    const struct logsum_table *src);
void	logsum_qids_add_hash(struct logsum_qids *q, uint64_t h);
void	logsum_qids_merge(struct logsum_qids *dst,
	    const struct logsum_qids *src);
uint64_t logsum_qids_count(const struct logsum_qids *q, int *exact);
/* How many of sub's ids are in q (both exact), else sub's estimate. */
uint64_t logsum_qids_common(const struct logsum_qids *q,
	    const struct logsum_qids *sub);
void	logsum_qids_free(struct logsum_qids *q);

#endif
