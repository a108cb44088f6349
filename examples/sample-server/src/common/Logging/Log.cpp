#include "Log.h"
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <ctime>

namespace
{
char const* LevelName(LogLevel level)
{
    static char const* const names[] = {"DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    return names[level];
}

FILE* OpenAppender(std::string const& path)
{
    FILE* file = std::fopen(path.c_str(), "a");
    if (!file)
        std::fprintf(stderr, "Log: cannot open %s: %s\n", path.c_str(), std::strerror(errno));
    return file;
}
} // namespace

Log* Log::instance()
{
    static Log instance;
    return &instance;
}

bool Log::Initialize(std::string const& logsDir)
{
    std::string dir = logsDir.empty() ? std::string(".") : logsDir;
    _serverLog = OpenAppender(dir + "/Server.log");
    _playerbotLog = OpenAppender(dir + "/Playerbot.log");
    return _serverLog && _playerbotLog;
}

void Log::Close()
{
    std::lock_guard<std::mutex> guard(_lock);
    for (FILE** file : {&_serverLog, &_playerbotLog})
    {
        if (*file)
            std::fclose(*file);
        *file = nullptr;
    }
}

void Log::OutMessage(LogLevel level, char const* filter, char const* format, ...)
{
    char text[1024];
    va_list args;
    va_start(args, format);
    std::vsnprintf(text, sizeof(text), format, args);
    va_end(args);

    std::time_t now = std::time(nullptr);
    std::tm local;
    localtime_r(&now, &local);
    char stamp[32];
    std::strftime(stamp, sizeof(stamp), "%Y-%m-%d_%H:%M:%S", &local);

    bool playerbot = std::strncmp(filter, "playerbot", 9) == 0;
    std::lock_guard<std::mutex> guard(_lock);
    // Flushed per line: the last lines before a crash are the ones worth reading.
    if (FILE* file = playerbot ? _playerbotLog : _serverLog)
    {
        std::fprintf(file, "%s %-5s [%s] %s\n", stamp, LevelName(level), filter, text);
        std::fflush(file);
    }
    if (!playerbot && level >= LOG_LEVEL_INFO)
    {
        std::printf("%s\n", text);
        std::fflush(stdout);
    }
}
