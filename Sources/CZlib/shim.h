#ifndef SCHEDSIM_CZLIB_SHIM_H
#define SCHEDSIM_CZLIB_SHIM_H
#include <zlib.h>
#endif
