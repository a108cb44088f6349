#ifndef TRINITY_OBJECTGUID_H
#define TRINITY_OBJECTGUID_H

#include "Define.h"
#include <cstdio>
#include <functional>
#include <string>

enum class HighGuid : uint8
{
    Player = 0x1,
    Creature = 0x2
};

class ObjectGuid
{
public:
    ObjectGuid() = default;
    ObjectGuid(HighGuid high, uint32 entry, uint32 counter)
        : _raw(uint64(high) << 56 | uint64(entry & 0xFFFFFF) << 32 | counter)
    {
    }

    HighGuid GetHigh() const { return HighGuid(_raw >> 56); }
    uint32 GetEntry() const { return uint32(_raw >> 32) & 0xFFFFFF; }
    uint32 GetCounter() const { return uint32(_raw); }
    uint64 GetRawValue() const { return _raw; }
    bool IsEmpty() const { return _raw == 0; }
    void Clear() { _raw = 0; }

    bool operator==(ObjectGuid const& other) const = default;

    std::string ToString() const
    {
        char text[80];
        std::snprintf(text, sizeof(text), "GUID Full: 0x%016llx Type: %s Entry: %u Low: %u",
                      (unsigned long long)_raw, GetHigh() == HighGuid::Player ? "Player" : "Creature",
                      GetEntry(), GetCounter());
        return text;
    }

private:
    uint64 _raw = 0;
};

template <> struct std::hash<ObjectGuid>
{
    size_t operator()(ObjectGuid const& guid) const { return std::hash<uint64>()(guid.GetRawValue()); }
};

#endif
