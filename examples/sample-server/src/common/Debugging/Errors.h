#ifndef TRINITY_ERRORS_H
#define TRINITY_ERRORS_H

#include "Define.h"

namespace Trinity
{
// Print the failed condition in TrinityCore's format and abort, so the crash handler (or whoever
// supervises the server) gets a core and the message. An empty format adds no message line.
[[noreturn]] void Assert(char const* file, int line, char const* function, char const* message,
                         char const* format, ...) ATTR_PRINTF(5, 6);
[[noreturn]] void Fatal(char const* file, int line, char const* function, char const* format, ...)
    ATTR_PRINTF(4, 5);
} // namespace Trinity

#define WPAssert(cond, ...)                                                                                  \
    do                                                                                                       \
    {                                                                                                        \
        if (!(cond))                                                                                         \
            Trinity::Assert(__FILE__, __LINE__, __FUNCTION__, #cond, "" __VA_ARGS__);                        \
    } while (0)

#define ASSERT WPAssert
#define ABORT_MSG(...) Trinity::Fatal(__FILE__, __LINE__, __FUNCTION__, __VA_ARGS__)

#endif
