// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <symbolize/symbol_table.hpp>

#include <string>

namespace crashpilot::symbolize {
namespace {

std::string name_at(const SymbolTable& t, Dwarf_Addr addr) {
  const SymbolTable::Symbol* s = t.find(addr);
  return s != nullptr ? s->name : "(none)";
}

TEST(SymbolTable, SizedSymbolsContainTheirRange) {
  auto t = SymbolTable::of({{0x2000, 0x10, "b", 3}, {0x1000, 0x100, "a", 3}});
  EXPECT_EQ(name_at(t, 0x0fff), "(none)");
  EXPECT_EQ(name_at(t, 0x1000), "a");
  EXPECT_EQ(name_at(t, 0x10ff), "a");
  EXPECT_EQ(name_at(t, 0x1100), "(none)") << "a gap between functions belongs to neither";
  EXPECT_EQ(name_at(t, 0x200f), "b");
  EXPECT_EQ(name_at(t, 0x2010), "(none)");
}

TEST(SymbolTable, AliasesPreferGlobalOverWeakOverLocal) {
  auto t = SymbolTable::of({{0x1000, 0x40, "local_alias", 0},
                            {0x1000, 0x40, "global_name", 3},
                            {0x1000, 0x40, "weak_alias", 2},
                            {0x1000, 0, "label_at_start", 3}});
  EXPECT_EQ(name_at(t, 0x1000), "global_name");
  EXPECT_EQ(name_at(t, 0x1020), "global_name");
}

TEST(SymbolTable, EqualAliasesGiveThePlainestName) {
  auto t = SymbolTable::of({{0x1000, 0x40, "__GI___clone3", 0},
                            {0x1000, 0x40, "clone3", 0},
                            {0x1000, 0x40, "__clone3", 0}});
  EXPECT_EQ(name_at(t, 0x1010), "clone3");
}

TEST(SymbolTable, LabelsServeOnlyWhereNoSizedSymbolReaches) {
  auto t = SymbolTable::of(
      {{0x1000, 0x20, "sized", 3}, {0x1080, 0, "asm_entry", 3}, {0x1010, 0, "inner_label", 0}});
  EXPECT_EQ(name_at(t, 0x1018), "sized") << "inside a sized symbol, a label within it does not win";
  EXPECT_EQ(name_at(t, 0x1090), "asm_entry");
  EXPECT_EQ(name_at(t, 0x1050), "(none)") << "the label below ends inside the sized symbol's range";
}

TEST(SymbolTable, EmptyTableFindsNothing) {
  auto t = SymbolTable::of({});
  EXPECT_EQ(t.find(0x1000), nullptr);
}

} // namespace
} // namespace crashpilot::symbolize
