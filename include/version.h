/* version.h: relaytop's version, printed by --version and usable in JSON
 * output and the action log. */
#ifndef RELAYTOP_VERSION_H
#define RELAYTOP_VERSION_H

#define RELAYTOP_VERSION	"0.1.0"

#endif
