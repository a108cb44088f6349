#ifndef TRINITY_DEFINE_H
#define TRINITY_DEFINE_H

#include <cstdint>

typedef std::int64_t int64;
typedef std::int32_t int32;
typedef std::uint64_t uint64;
typedef std::uint32_t uint32;
typedef std::uint8_t uint8;

#define ATTR_PRINTF(F, V) __attribute__((format(printf, F, V)))

#endif
