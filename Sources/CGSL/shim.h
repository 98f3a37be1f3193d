#ifndef SCHEDSIM_CGSL_SHIM_H
#define SCHEDSIM_CGSL_SHIM_H
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_version.h>

/* Swift 6 refuses to read C globals (they are not concurrency-safe), so each
   generator type and version string is handed over through a function. */
static inline const gsl_rng_type *schedsim_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const char *schedsim_gsl_version(void) { return gsl_version; }
#endif
