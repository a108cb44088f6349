#ifndef TRINITY_CREATURE_H
#define TRINITY_CREATURE_H

#include "Unit.h"

struct CreatureTemplate
{
    uint32 Entry;
    char const* Name;
    uint32 MinHealth;
    uint32 MaxHealth;
    float CombatReach;
    uint32 LootItems[3];
};

CreatureTemplate const* GetCreatureTemplate(uint32 entry);
uint32 GetCreatureTemplateCount();
CreatureTemplate const* GetCreatureTemplateByIndex(uint32 index);

class Creature : public Unit
{
public:
    Creature(uint32 counter, CreatureTemplate const* cinfo, uint32 health, Position const& pos,
             uint32 spawnId);

    CreatureTemplate const* GetCreatureTemplate() const { return _template; }
    uint32 GetEntry() const { return _template->Entry; }
    uint32 GetSpawnId() const { return _spawnId; }
    float GetCombatReach() const override { return _template->CombatReach; }

private:
    CreatureTemplate const* _template;
    uint32 _spawnId;
};

#endif
