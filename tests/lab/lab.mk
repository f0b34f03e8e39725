# tests/lab/lab.mk - Makefile fragment for the relaytop lab (included by the
# top Makefile).  LAB=name selects the lab (default rtlab).  Needs root.
# Defines only lab-* targets; all/test/deps/demo/e2e belong to the top Makefile.

LAB_SCRIPTS := $(CURDIR)/tests/lab

.PHONY: lab-up lab-down lab-status lab-reset

lab-up:
	$(LAB_SCRIPTS)/lab-up

lab-down:
	$(LAB_SCRIPTS)/lab-down

lab-status:
	$(LAB_SCRIPTS)/lab-status

lab-reset:
	$(LAB_SCRIPTS)/scenario reset
