#ifndef TRINITY_LOG_H
#define TRINITY_LOG_H

#include "Define.h"
#include <cstdio>
#include <mutex>
#include <string>

enum LogLevel : uint8
{
    LOG_LEVEL_DEBUG,
    LOG_LEVEL_INFO,
    LOG_LEVEL_WARN,
    LOG_LEVEL_ERROR,
    LOG_LEVEL_FATAL
};

// Two file appenders in TrinityCore's format, "2024-05-01_12:00:00 INFO  [server.worldserver] text":
// Server.log for the core's loggers and Playerbot.log for "playerbot*". The core's INFO and above
// also go to the console, as TrinityCore's console appender does.
class Log
{
public:
    static Log* instance();

    bool Initialize(std::string const& logsDir);
    void Close();
    void OutMessage(LogLevel level, char const* filter, char const* format, ...) ATTR_PRINTF(4, 5);

private:
    std::mutex _lock;
    FILE* _serverLog = nullptr;
    FILE* _playerbotLog = nullptr;
};

#define sLog Log::instance()

#define TC_LOG_DEBUG(filter, ...) sLog->OutMessage(LOG_LEVEL_DEBUG, filter, __VA_ARGS__)
#define TC_LOG_INFO(filter, ...) sLog->OutMessage(LOG_LEVEL_INFO, filter, __VA_ARGS__)
#define TC_LOG_WARN(filter, ...) sLog->OutMessage(LOG_LEVEL_WARN, filter, __VA_ARGS__)
#define TC_LOG_ERROR(filter, ...) sLog->OutMessage(LOG_LEVEL_ERROR, filter, __VA_ARGS__)
#define TC_LOG_FATAL(filter, ...) sLog->OutMessage(LOG_LEVEL_FATAL, filter, __VA_ARGS__)

#endif
