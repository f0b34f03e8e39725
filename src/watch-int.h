/* watch-int.h: the watch's insides, shared by src/watch*.c only. */
#ifndef RELAYTOP_WATCH_INT_H
#define RELAYTOP_WATCH_INT_H

#include "fleet.h"
#include "port-probe.h"
#include "watch.h"

struct watch {
	struct inventory *inv;
	/* the inventory's own hosts and count while the watch lends it a
	 * larger copy with room for instances (watch-instances.c) */
	struct host_config *inv_hosts;
	size_t	inv_n;
	int	inv_lent;
	struct model m;
	struct fleet *f;
	struct actions *a;

	/* derived from the model (watch_derive) */
	struct topology topo;
	struct findings finds;
	uint64_t derived_gen;		/* model generation of topo, finds */
	time_t	derived_time;
	int	derived_ok;

	/* the port-25 test: one in flight at most, the last one kept */
	struct port_probe *pp;
	struct port_results ports;
	time_t	ports_time;		/* when it finished; 0 never */

	/* the queue's listings and operations (watch-queue-list.c,
	 * watch-queue.c) */
	struct wq_list *qlists;
	struct watch_queue_job *qjobs;
	/* a server in the loop (watch_set_server) */
	int	(*srv_fd)(void *);
	void	(*srv_run)(void *);
	void	*srv_arg;
	int	(*srv_wait)(void *);
};

/* Each loop turn: keeps a finished port test's results (watch-ports.c). */
void	watch_ports_tick(struct watch *w);
void	watch_ports_free(struct watch *w);

/* Each loop turn: starts the queue operations' due batches; at
 * watch_free, before the sessions close: lets go of listings and jobs
 * (watch-queue.c). */
void	watch_queue_tick(struct watch *w);
void	watch_queue_free(struct watch *w);
/* The host's READY session, else NULL with err ("NAME: not connected:
 * why"); lets go of every listing, whose callbacks then free them
 * (watch-queue-list.c). */
struct sshc *watch_session_ready(struct watch *w, int host, char *err,
	    size_t errlen);
void	watch_queue_lists_drop(struct watch *w);
/* Each loop turn: instances the probes found become hosts
 * (watch-instances.c). */
void	watch_instances_sync(struct watch *w);
/* watch_new: gives inv a copy of its hosts with CFG_INSTANCE_SLOTS entries
 * of room (0, -1 ENOMEM); watch_free: gives the original back (the added
 * entries go with the copy). */
int	watch_instances_room(struct watch *w);
void	watch_instances_unroom(struct watch *w);

#endif
