// Inlining hint for the hot paths, where the compiler's own choice measured worse.
#pragma once

#if defined(__GNUC__)
#define TOKBENCH_HOT_INLINE __attribute__((always_inline)) inline
#else
#define TOKBENCH_HOT_INLINE inline
#endif
