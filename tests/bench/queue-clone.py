#!/usr/bin/env python3
# queue-clone.py SPOOL QID COUNT: copies deferred message QID (its queue file
# and defer log) COUNT times under fresh random short queue ids (of
# Postfix's own form, 11 characters), with the
# same owner and mode, into the hashed deferred/ and defer/ directories
# (hash_queue_depth 1); mtime one day ahead so qmgr does not retry them.
# Only for the benchmark fleet's own Postfix (tests/bench/bench-queue.sh).
import os
import random
import sys
import time

spool, qid, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
src = os.path.join(spool, "deferred", qid[0], qid)
dsrc = os.path.join(spool, "defer", qid[0], qid)
body = open(src, "rb").read()
dbody = open(dsrc, "rb").read() if os.path.exists(dsrc) else None
st = os.stat(src)
future = time.time() + 86400
rnd = random.Random()


def hashdir(path):
    # A missing hash directory is made like Postfix makes it: the owner
    # and mode of its queue directory (postfix, 0700).
    d = os.path.dirname(path)
    if not os.path.isdir(d):
        parent = os.stat(os.path.dirname(d))
        os.mkdir(d, 0o700)
        os.chown(d, parent.st_uid, parent.st_gid)
        os.chmod(d, parent.st_mode & 0o7777)


made = 0
while made < count:
    # a short id as Postfix makes it ("%05X%lX": microseconds below
    # 1000000, then an inode number without leading zero), so relaytop's
    # queue-id recogniser takes every clone
    q = "%05X%X" % (rnd.randrange(1000000), rnd.randrange(1 << 20, 1 << 24))
    dst = os.path.join(spool, "deferred", q[0], q)
    if os.path.exists(dst):
        continue
    for path, data in ((dst, body), (os.path.join(spool, "defer", q[0], q), dbody)):
        if data is None:
            continue
        hashdir(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, data)
        os.fchown(fd, st.st_uid, st.st_gid)
        os.fchmod(fd, st.st_mode & 0o7777)
        os.close(fd)
        os.utime(path, (future, future))
    made += 1
