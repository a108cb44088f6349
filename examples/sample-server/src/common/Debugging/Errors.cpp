#include "Errors.h"
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace
{
[[noreturn]] void Crash(char const* format, va_list args)
{
    if (*format)
    {
        std::fputs("  ", stderr);
        std::vfprintf(stderr, format, args);
        std::fputc('\n', stderr);
    }
    std::fflush(stdout);
    std::fflush(stderr);
    std::abort();
}
} // namespace

namespace Trinity
{
void Assert(char const* file, int line, char const* function, char const* message, char const* format, ...)
{
    std::fprintf(stderr, "\n%s:%i in %s ASSERTION FAILED:\n  %s\n", file, line, function, message);
    va_list args;
    va_start(args, format);
    Crash(format, args);
}

void Fatal(char const* file, int line, char const* function, char const* format, ...)
{
    std::fprintf(stderr, "\n%s:%i in %s FATAL ERROR:\n", file, line, function);
    va_list args;
    va_start(args, format);
    Crash(format, args);
}
} // namespace Trinity
