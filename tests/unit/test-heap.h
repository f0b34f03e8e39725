/* test-heap.h: the heap in use, for unit tests that bound memory. mallinfo2
 * counts glibc's malloc only: under ASan (whose allocator replaces it) it
 * stays still, so there the sanitizer's own count is read instead. */
#ifndef RELAYTOP_TEST_HEAP_H
#define RELAYTOP_TEST_HEAP_H

#include <malloc.h>
#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_BY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_BY_ASAN 1
#endif
#endif
#ifdef HEAP_BY_ASAN
size_t __sanitizer_get_current_allocated_bytes(void);
#define HEAP_METER "ASan allocated bytes"
static inline size_t
heap_used(void)
{
	return __sanitizer_get_current_allocated_bytes();
}
#else
#define HEAP_METER "mallinfo2"
static inline size_t
heap_used(void)
{
	return mallinfo2().uordblks;
}
#endif

#endif
