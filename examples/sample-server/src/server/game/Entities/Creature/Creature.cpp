#include "Creature.h"

namespace
{
// creature_template, trimmed to what the sample uses.
CreatureTemplate const CreatureTemplates[] = {
    {6, "Kobold Vermin", 240, 300, 1.0f, {2589, 55973, 0}},
    {38, "Defias Thug", 420, 520, 1.5f, {2589, 1416, 2070}},
    {299, "Young Wolf", 180, 240, 1.2f, {750, 0, 0}},
    {732, "Murloc Lurker", 380, 460, 1.3f, {1468, 2589, 0}},
    {1119, "Hammerspine", 900, 1100, 2.5f, {2589, 2592, 4306}},
};
} // namespace

CreatureTemplate const* GetCreatureTemplate(uint32 entry)
{
    for (CreatureTemplate const& cinfo : CreatureTemplates)
        if (cinfo.Entry == entry)
            return &cinfo;
    return nullptr;
}

uint32 GetCreatureTemplateCount()
{
    return sizeof(CreatureTemplates) / sizeof(CreatureTemplates[0]);
}

CreatureTemplate const* GetCreatureTemplateByIndex(uint32 index)
{
    return index < GetCreatureTemplateCount() ? &CreatureTemplates[index] : nullptr;
}

Creature::Creature(uint32 counter, CreatureTemplate const* cinfo, uint32 health, Position const& pos,
                   uint32 spawnId)
    : Unit(ObjectGuid(HighGuid::Creature, cinfo->Entry, counter), cinfo->Name, health, pos), _template(cinfo),
      _spawnId(spawnId)
{
}
