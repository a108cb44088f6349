// SPDX-License-Identifier: MIT
#include "parse_test_util.hpp"
#include <parse/document.hpp>
#include <parse/frame_text.hpp>
#include <parse/parser.hpp>
#include <parse/section.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace crashpilot::parse {
namespace {


using crashpilot::parse::testing::read_fixture;

parse::Sections wheaty(std::string_view text) { return parse::testing::run(parse::parse_wheaty, text); }

const model::Thread& crashing(const Section& s) {
  const model::Thread* t = s.crash.crashing_thread();
  EXPECT_NE(t, nullptr);
  static const model::Thread k_empty;
  return t ? *t : k_empty;
}

// A TC-style x86 report with a PDB, written from the GenerateExceptionReport grammar.
constexpr std::string_view k_x86_report =
    R"(Revision: TrinityCore rev. 73b68bea937d 2020-12-12 19:51:38 +0100 (3.3.5 branch) (Win32, Release, Static)
Date 7:1:2021. Time 9:5 
//=====================================================
*** Hardware ***
Processor: Intel(R) Core(TM) i7-7500U CPU @ 2.70GHz
Number Of Processors: 4
Physical Memory: 8270664 KB (Available: 3140864 KB)
Commit Charge Limit: 16659272 KB

*** Operation System ***
Windows 10 Professional (Version 10.0, Build 18317)

//=====================================================
Exception code: C0000005 ACCESS_VIOLATION
Fault address:  006EFB97 01:002EEB97 D:\Games\TC\worldserver.exe

Registers:
EAX:00000008
EBX:0000000D
ECX:EE53B974
EDX:EE53B970
ESI:EEBDEB00
EDI:00000000
CS:EIP:0023:006EFB97
SS:ESP:002B:08C1F250  EBP:08C1F28C
DS:002B  ES:002B  FS:0053  GS:002B
Flags:00010202

Call stack:
Address   Frame     Function      SourceFile
006EFB97  00000000  Unit::GetMap+17  D:\Program Files (x86)\trinity\src\server\game\Entities\Unit\Unit.cpp line 392
0052008D  00000000  Map::Update+6D  D:\Program Files (x86)\trinity\src\server\game\Maps\Map.cpp line 1061
76F49F72  00000000  RtlUserThreadStart+63

Call stack:
Address   Frame     Function      SourceFile
7756135A  00000000  NtWaitForSingleObject+A
7756135B  00000000  WaitForSingleObjectEx+9C
========================
Local Variables And Parameters

Call stack:
Address   Frame     Function      SourceFile
006EFB97  00000000  Unit::GetMap+17  D:\Program Files (x86)\trinity\src\server\game\Entities\Unit\Unit.cpp line 392
	Local <user defined> 'this' = 2D600320

0052008D  00000000  Map::Update+6D  D:\Program Files (x86)\trinity\src\server\game\Maps\Map.cpp line 1061
	Parameter unsigned int t_diff = 0x64
)";

TEST(Wheaty, FullX86ReportHeaderAndThreads) {
  Sections out = wheaty(k_x86_report);
  ASSERT_EQ(out.size(), 1u);
  const Section& s = out[0];
  EXPECT_EQ(s.format, "wheaty");
  EXPECT_EQ(s.role, Role::report);
  EXPECT_EQ(s.first, 0u);
  EXPECT_EQ(s.crash.kind, model::Kind::exception);
  EXPECT_EQ(s.crash.exception_code, "0xC0000005");
  EXPECT_EQ(s.crash.exception_name, "ACCESS_VIOLATION");
  EXPECT_EQ(s.crash.timestamp, "2021-01-07T09:05");
  ASSERT_TRUE(s.crash.fault_address.has_value());
  EXPECT_EQ(*s.crash.fault_address, 0x006EFB97u);
  EXPECT_TRUE(s.crash.error_message.empty());
  EXPECT_TRUE(s.crash.problems.empty());
  // Two threads from the first pass; the locals pass repeats them and is skipped.
  ASSERT_EQ(s.crash.threads.size(), 2u);
  const auto& t = s.crash.threads[0];
  EXPECT_TRUE(t.crashing);
  EXPECT_FALSE(s.crash.threads[1].crashing);
  ASSERT_EQ(t.frames.size(), 3u);
  EXPECT_EQ(t.frames[0].function, "Unit::GetMap");
  EXPECT_EQ(t.frames[0].file,
            R"(D:\Program Files (x86)\trinity\src\server\game\Entities\Unit\Unit.cpp)");
  EXPECT_EQ(t.frames[0].line, 392);
  EXPECT_EQ(t.frames[0].offset, 0x17u);
  EXPECT_EQ(t.frames[0].address, 0x006EFB97u);
  // The fault address line names the module of the PC it equals.
  EXPECT_EQ(t.frames[0].module, R"(D:\Games\TC\worldserver.exe)");
  EXPECT_EQ(t.frames[1].module, "");
  EXPECT_EQ(t.frames[1].function, "Map::Update");
  EXPECT_EQ(t.frames[1].line, 1061);
  EXPECT_EQ(t.frames[2].function, "RtlUserThreadStart");
  EXPECT_EQ(t.frames[2].file, "");
  EXPECT_EQ(t.frames[2].offset, 0x63u);
  EXPECT_EQ(s.crash.threads[1].frames[1].function, "WaitForSingleObjectEx");
  // The section covers the locals pass too.
  EXPECT_GE(s.last, 45u);
}

TEST(Wheaty, X64FromExceptionCodeWithNoSymbolsAndGarbageFrames) {
  constexpr std::string_view text = R"(unrelated log line
Exception code: C0000005 ACCESS_VIOLATION
Fault address:  000007FEF5A99250 01:0000000000048250 C:\windows\system32\MSVCR120.dll

Registers:
RAX:000000007FFFFFFE
R8: 000007FEF5A50000
CS:RIP:0033:000007FEF5A99250
SS:RSP:002B:0000000042A8E060  RBP:42A8E160
Flags:00010202

----
SYMBOL HANDLER ERROR (THIS IS NOT THE CRASH ERROR)
Couldn't initialize symbol handler for process when generating crash report
Error: The specified module could not be found.
THE BELOW CALL STACKS MIGHT HAVE MISSING OR INACCURATE FILE/FUNCTION NAMES
----

Call stack:
Address   Frame     Function      SourceFile
000007FEF5A99250  0000000042A8E360  _mbctombb_l+25B0
000000013FFB167C  0000000042A8EC40  0001:00000000002B067C C:\Users\some one\Release434\worldserver.exe
00000000000003D0  000000CE23CF7728  0000:0000000000000000 
000000013FFB1680  0000000042A8EC48  ?Update@Creature@@UEAAXII@Z+350

something else entirely
)";
  Sections out = wheaty(text);
  ASSERT_EQ(out.size(), 1u);
  const Section& s = out[0];
  EXPECT_EQ(s.first, 1u);
  EXPECT_EQ(s.last, 23u);
  EXPECT_EQ(s.role, Role::report);
  EXPECT_EQ(*s.crash.fault_address, 0x000007FEF5A99250u);
  const auto& f = crashing(s).frames;
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].function, "_mbctombb_l");
  EXPECT_EQ(f[0].module, R"(C:\windows\system32\MSVCR120.dll)");
  EXPECT_EQ(f[1].function, "");
  EXPECT_EQ(f[1].module, R"(C:\Users\some one\Release434\worldserver.exe)");
  EXPECT_EQ(f[1].offset, 0x2B067Cu);
  EXPECT_EQ(f[1].address, 0x13FFB167Cu);
  EXPECT_EQ(f[2].function, "");
  EXPECT_EQ(f[2].module, "");
  EXPECT_EQ(f[2].offset, 0u);
  // Export names are MSVC-decorated: the qualified name is read out of them.
  EXPECT_EQ(f[3].function, "Creature::Update");
  EXPECT_EQ(f[3].offset, 0x350u);
  EXPECT_FALSE(s.crash.has_problem(model::problem::truncated));
}

TEST(Wheaty, AssertionMessageTcFormWithLocalizedName) {
  constexpr std::string_view text =
      R"(Exception code: C0000420 Ein Assertionsfehler ist aufgetreten.

Assertion message: 
e:\wow\src\server\game\ai\npcbots\bot_ai.cpp:7586 in bot_ai::DefaultInit ASSERTION FAILED:
  !me->GetBotAI()
Me: MapID: 0 X: -8969.88
Name: billy IsAIEnabled: true

Fault address:  00007FF76C7C9888 01:00000000009B8888 E:\wow\worldserver.exe

Call stack:
Address   Frame     Function      SourceFile
00007FFF278B7928  000000C09F6FF050  RaiseException+69
00007FF76C7C9888  000000C09F6FF100  Trinity::Assert+E8  e:\wow\src\common\debugging\errors.cpp line 52

)";
  Sections out = wheaty(text);
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  EXPECT_EQ(c.kind, model::Kind::assertion);
  EXPECT_EQ(c.exception_code, "0xC0000420");
  EXPECT_EQ(c.exception_name, "ASSERTION_FAILURE");
  ASSERT_TRUE(c.assertion.has_value());
  EXPECT_EQ(c.assertion->file, R"(e:\wow\src\server\game\ai\npcbots\bot_ai.cpp)");
  EXPECT_EQ(c.assertion->line, 7586);
  EXPECT_EQ(c.assertion->function, "bot_ai::DefaultInit");
  EXPECT_EQ(c.assertion->condition, "!me->GetBotAI()");
  EXPECT_EQ(c.assertion->message, "Me: MapID: 0 X: -8969.88\nName: billy IsAIEnabled: true");
  EXPECT_NE(c.error_message.find("ASSERTION FAILED:\n  !me->GetBotAI()"), std::string::npos);
  ASSERT_EQ(c.crashing_frames().size(), 2u);
  EXPECT_EQ(c.crashing_frames()[1].module, R"(E:\wow\worldserver.exe)");
  EXPECT_FALSE(c.has_problem(model::problem::truncated));
}

TEST(Wheaty, AssertionCodeWithEmptyNameAndChineseName) {
  for (std::string_view line :
       {"Exception code: C0000420 ", "Exception code: C0000420 出现声明故障。"}) {
    std::string text = std::string(line) +
                       "\nFault address:  00A275D7 02:001545D7 C:\\srv\\worldserver.exe\n\n"
                       "Call stack:\nAddress   Frame     Function      SourceFile\n"
                       "00A275D7  00000000  Foo::Bar+E7  c:\\src\\foo.cpp line 94\n\n";
    Sections out = wheaty(text);
    ASSERT_EQ(out.size(), 1u) << line;
    EXPECT_EQ(out[0].crash.kind, model::Kind::assertion);
    EXPECT_EQ(out[0].crash.exception_code, "0xC0000420");
    EXPECT_EQ(out[0].crash.exception_name, "ASSERTION_FAILURE");
    // Without an Assertion message block there is no assertion to report.
    EXPECT_FALSE(out[0].crash.assertion.has_value());
  }
}

TEST(Wheaty, AssertionMessageAbortAndAzerothCoreForms) {
  constexpr std::string_view tc_abort =
      R"(Exception code: C0000420 An assertion failure has occurred.
Assertion message: 
D:\tc\src\server\worldserver\Main.cpp:523 in FreezeDetector::Handler ABORTED:
World Thread hangs for 60015 ms, forcing a crash!
Fault address:  00007FF76C7C9888 01:00000000009B8888 E:\wow\worldserver.exe
)";
  Sections out = wheaty(tc_abort);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(out[0].crash.assertion.has_value());
  EXPECT_EQ(out[0].crash.assertion->function, "FreezeDetector::Handler");
  EXPECT_EQ(out[0].crash.assertion->line, 523);
  EXPECT_EQ(out[0].crash.assertion->condition, "");
  EXPECT_EQ(out[0].crash.assertion->message, "World Thread hangs for 60015 ms, forcing a crash!");
  // The text stops before the stack: cut.
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));

  constexpr std::string_view ac = R"(Exception code: C0000420
Assertion message: 
#----------------------------------------------------------------------#
>> ASSERTION FAILED

# Location 'D:\ac\src\server\game\Maps\Map.h:682'
# Function 'Map::getNGrid'
# Condition 'x < MAX_NUMBER_OF_GRIDS'
# Message 'x 64 y 12'
#----------------------------------------------------------------------#
Fault address:  00007FF76C7C9888 01:00000000009B8888 E:\wow\worldserver.exe

Call stack:
00007FF76C7C9888  000000C09F6FF100  Map::getNGrid+E8  D:\ac\src\server\game\Maps\Map.h line 682

)";
  out = wheaty(ac);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(out[0].crash.assertion.has_value());
  EXPECT_EQ(out[0].crash.assertion->file, R"(D:\ac\src\server\game\Maps\Map.h)");
  EXPECT_EQ(out[0].crash.assertion->line, 682);
  EXPECT_EQ(out[0].crash.assertion->function, "Map::getNGrid");
  EXPECT_EQ(out[0].crash.assertion->condition, "x < MAX_NUMBER_OF_GRIDS");
  EXPECT_EQ(out[0].crash.assertion->message, "x 64 y 12");
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 1u);
}

TEST(Wheaty, UncaughtCppException) {
  constexpr std::string_view text = R"(Exception code: E06D7363 Unhandled C++ exception
Fault address:  00007FFB1C0F4FD9 01:0000000000023FD9 C:\Windows\System32\KERNELBASE.dll

Uncaught C++ exception info: map/set<T> too long
Parameter std::length_error uncaught_exception

Call stack:
Address   Frame     Function      SourceFile
00007FFB1C0F4FD9  000000C09F6FF050  RaiseException+69
00007FF76C7C9888  000000C09F6FF100  std::_Xlength_error+10

)";
  Sections out = wheaty(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.kind, model::Kind::exception);
  EXPECT_EQ(out[0].crash.exception_code, "0xE06D7363");
  EXPECT_EQ(out[0].crash.exception_name, "Unhandled C++ exception");
  EXPECT_EQ(out[0].crash.error_message, "map/set<T> too long");
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 2u);
}

TEST(Wheaty, DebugHeapFillInRegisters) {
  constexpr std::string_view x86 = R"(Exception code: C0000005 ACCESS_VIOLATION
Fault address:  00E2CA41 01:000CBA41 C:\build\bin\Debug\worldserver.exe

Registers:
EAX:DDDDDDDD
EBX:1E1AF800
ECX:DDDDDDDD
ESI:FEEEFEEE
CS:EIP:001B:00E2CA41

Call stack:
Address   Frame     Function      SourceFile
00E2CA41  00000000  Object::GetTypeId+11  c:\src\object.h line 142

)";
  Sections out = wheaty(x86);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.error_message, "registers hold debug-heap fill DDDDDDDD (EAX, "
                                        "ECX)\nregisters hold debug-heap fill FEEEFEEE (ESI)");

  constexpr std::string_view x64 = R"(Exception code: C0000005 ACCESS_VIOLATION
Registers:
RAX:DDDDDDDDDDDDDDDD
RBX:00000000DDDDDDDD
R8: 00000226DF5200D0
)";
  out = wheaty(x64);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.error_message, "registers hold debug-heap fill DDDDDDDD (RAX, RBX)");
}

TEST(Wheaty, HandlerBlockIsTheCrashingThreadAndEmptyBlocksAreSkipped) {
  // AC walks every thread: the faulting thread's own block is empty (failed walk), a waiting thread
  // comes first, and the handler thread shows the handler above the fault.
  constexpr std::string_view text = R"(Exception code: C0000005 ACCESS_VIOLATION

Call stack:
Address   Frame     Function      SourceFile

Call stack:
Address   Frame     Function      SourceFile
00007FFB1E6D8364  000000C09F6FF050  NtWaitForSingleObject+14
00007FFB1E6D8365  000000C09F6FF060  WaitForSingleObjectEx+9C

Call stack:
Address   Frame     Function      SourceFile
00007FFB1E6D8366  000000C09F6FF070  NtGetContextThread+14
00007FFB1E6D8367  000000C09F6FF080  ?WheatyUnhandledExceptionFilter@WheatyExceptionReport@@SAJPEAU_EXCEPTION_POINTERS@@@Z+120
00007FFB1E6D8368  000000C09F6FF090  UnhandledExceptionFilter+1E7
00007FFB1E6D8369  000000C09F6FF0A0  KiUserExceptionDispatcher+2E
00007FF76C7C9888  000000C09F6FF100  Player::Update+E8  D:\src\Player.cpp line 100

)";
  Sections out = wheaty(text);
  ASSERT_EQ(out.size(), 1u);
  const auto& threads = out[0].crash.threads;
  ASSERT_EQ(threads.size(), 2u); // the empty block is no thread
  EXPECT_TRUE(threads[0].crashing);
  EXPECT_FALSE(threads[1].crashing);
  ASSERT_EQ(threads[0].frames.size(), 5u); // every frame kept; triage skips the handler
  EXPECT_EQ(threads[0].frames[1].function, "WheatyExceptionReport::WheatyUnhandledExceptionFilter");
  EXPECT_EQ(threads[0].frames[4].function, "Player::Update");
  EXPECT_EQ(threads[0].frames[4].index, 4);
  EXPECT_EQ(threads[1].frames[0].function, "NtWaitForSingleObject");
}

TEST(Wheaty, LocalsPassOnlyStillYieldsStacks) {
  constexpr std::string_view text = R"(========================
Local Variables And Parameters

Call stack:
Address   Frame     Function      SourceFile
0000000140057FE9  000000002E11FE80  FreezeDetectorRunnable::run+E9  c:\mangos\src\mangosd\master.cpp line 99
    Local  <user defined> 'this' = 2D600320
    Parameter  void 'param' = 0

000000014006ECDF  000000002E11FEB0  ACE_Based::Thread::ThreadTask+F  c:\mangos\src\shared\threading.cpp line 190
		unsigned int Rax = 0x384E323488
punting on symbol m_task, partial output:

Call stack:
Address   Frame     Function      SourceFile
000000007756135A  000000000012FAE0  NtWaitForSingleObject+A

Global Variables
	 <user defined> 'sCreatureDataAddonStorage$initializer$' = 1404CA0D0
next unrelated paragraph
)";
  Sections out = wheaty(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].role, Role::stack);
  ASSERT_EQ(out[0].crash.threads.size(), 2u);
  const auto& f = out[0].crash.threads[0].frames;
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].function, "FreezeDetectorRunnable::run");
  EXPECT_EQ(f[1].line, 190);
  EXPECT_EQ(out[0].last, 18u); // the "Global Variables" block, not the paragraph after it
}

TEST(Wheaty, CallStackOnlyPaste) {
  std::string text = read_fixture("windows/legioncore-140-map-update-callstack-only.txt");
  Sections out = wheaty(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].role, Role::stack);
  EXPECT_EQ(out[0].crash.kind, model::Kind::exception);
  EXPECT_EQ(out[0].crash.exception_code, "");
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(f[2].function, "std::thread::_Invoke<std::tuple<void (__cdecl Map::*)(unsigned "
                           "int),Map *,unsigned int>,0,1,2>");
  EXPECT_EQ(f[2].offset, 0x12u);
  EXPECT_EQ(
      f[2].file,
      R"(G:\Microsoft Visual Studio\2019\Community\VC\Tools\MSVC\14.29.30133\include\thread)");
  EXPECT_EQ(f[2].line, 56);
  // Ends on RtlUserThreadStart: the stack is complete even though the text ends there.
  EXPECT_FALSE(out[0].crash.has_problem(model::problem::truncated));
}

TEST(Wheaty, TruncationAtEndOfText) {
  std::string head = "Call stack:\nAddress   Frame     Function      SourceFile\n"
                     "006EFB97  00000000  CreatureAI::SendAIEventAround+A7\n"
                     "0052008D  00000000  Creature::CallAssistance+6D";
  EXPECT_TRUE(wheaty(head)[0].crash.has_problem(model::problem::truncated));
  EXPECT_TRUE(wheaty(head + "\n")[0].crash.has_problem(model::problem::truncated));
  EXPECT_FALSE(wheaty(head + "\n\n")[0].crash.has_problem(model::problem::truncated));
  EXPECT_FALSE(wheaty(head + "\n========================\n")[0].crash.has_problem(
      model::problem::truncated));
  // A header that stops in the registers: the stack never came.
  Sections out =
      wheaty("Exception code: C0000005 ACCESS_VIOLATION\nRegisters:\nEAX:00000000\nEBX:0000");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
  EXPECT_TRUE(out[0].crash.threads.empty());
}

TEST(Wheaty, MarkdownHardwareBannerStartsAReport) {
  constexpr std::string_view text = R"(The crash log:
**\* Hardware ***
Processor: Intel(R) Xeon(R) CPU @ 2.50GHz

**\* Operation System ***
Windows Server 2008 R2 Server 4.0 Service Pack 1 (Version 6.1, Build 7601)

//=====================================================
Exception code: C0000005 ACCESS_VIOLATION
Fault address:  014C51D4 01:003F41D4 C:\Skyfire\worldserver.exe

Call stack:
Address   Frame     Function      SourceFile
014C51D4  00000000  0001:003F41D4 C:\Skyfire\worldserver.exe

)";
  Sections out = wheaty(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, 1u);
  EXPECT_EQ(out[0].crash.exception_code, "0xC0000005");
  ASSERT_EQ(out[0].crash.crashing_frames().size(), 1u);
  EXPECT_EQ(out[0].crash.crashing_frames()[0].offset, 0x3F41D4u);
}

TEST(Wheaty, FrameVariants) {
  constexpr std::string_view text = R"(Call stack:
Address   Frame     Function      SourceFile
00007FF7283B53F6  0000000D21AFF0B0  [inline] Object::GetGuidValue+A6  D:\src\Object.h line 339
00007FF7283B53F6  0000000D21AFF0B0  Foo::operator+++1A  D:\src\Foo.cpp line 12
00007FF7283B53F7  0000000D21AFF0B1  ChatHelper::FormatWorldobject+D6 D:\src\my dir\ChatHelper.cpp line 340
00007FF7283B53F8  0000000D21AFF0B2  npc_captured_beryl_sorcerer::npc_captured_beryl_sorcererAI::UpdateAI+A6  D:\_Server\src\server\scripts\Northrend\zone_borean_tundra.cpp
line 713
00007FF7283B53F9  0000000D21AFF0B3  ??1Player@@UEAA@XZ+10
00007FF7283B53FA  0000000D21AFF0B4  _ZN4Unit6UpdateEj+5

)";
  Sections out = wheaty(text);
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 6u);
  EXPECT_TRUE(f[0].inlined);
  EXPECT_EQ(f[0].function, "Object::GetGuidValue");
  EXPECT_EQ(f[0].line, 339);
  EXPECT_FALSE(f[1].inlined);
  EXPECT_EQ(f[1].function, "Foo::operator++");
  EXPECT_EQ(f[1].offset, 0x1Au);
  // Retyped with one space before the path (the path has spaces).
  EXPECT_EQ(f[2].function, "ChatHelper::FormatWorldobject");
  EXPECT_EQ(f[2].file, R"(D:\src\my dir\ChatHelper.cpp)");
  EXPECT_EQ(f[2].line, 340);
  // Wrapped before " line N".
  EXPECT_EQ(f[3].file, R"(D:\_Server\src\server\scripts\Northrend\zone_borean_tundra.cpp)");
  EXPECT_EQ(f[3].line, 713);
  EXPECT_EQ(f[4].function, "Player::~Player");
  EXPECT_EQ(f[5].function, "Unit::Update(unsigned int)");
}

TEST(Wheaty, TwoReportsInOneText) {
  std::string one = "Exception code: C0000005 ACCESS_VIOLATION\nFault address:  00A275D7 "
                    "02:001545D7 C:\\a.exe\n\n"
                    "Call stack:\nAddress   Frame     Function      SourceFile\n"
                    "00A275D7  00000000  Foo::Bar+E7  c:\\src\\foo.cpp line 94\n\n";
  std::string two = "Revision: * * *\nDate 19:6:2016. Time 14:13 \n//==============\n"
                    "Exception code: C00000FD STACK_OVERFLOW\n\nCall stack:\n"
                    "00A275D8  00000000  Baz::Qux+1  c:\\src\\baz.cpp line 5\n";
  Sections out = wheaty(one + two);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].crash.exception_code, "0xC0000005");
  EXPECT_EQ(out[1].crash.exception_code, "0xC00000FD");
  EXPECT_EQ(out[1].crash.exception_name, "STACK_OVERFLOW");
  EXPECT_EQ(out[1].crash.timestamp, "2016-06-19T14:13");
  EXPECT_EQ(out[1].crash.crashing_frames()[0].function, "Baz::Qux");
  EXPECT_LT(out[0].last, out[1].first);
}

TEST(Wheaty, LeavesOtherFormatsAlone) {
  // WinDbg `k` output has the same two hex columns but "module!symbol" call sites.
  EXPECT_TRUE(wheaty("ChildEBP RetAddr\n0012f8b4 7c90e4f4 ntdll!KiFastSystemCallRet\n"
                     "0012f8b8 7c8023ed worldserver!Unit::Update+0x1f\n")
                  .empty());
  // A hex dump.
  EXPECT_TRUE(
      wheaty("00401000  00000000  00000000  00000000\n00401010  8BFF558B  EC83E4F8  00000000\n")
          .empty());
  EXPECT_TRUE(wheaty("Call stack:\nnothing here\n").empty());
  EXPECT_TRUE(wheaty("Revision: 1234\nsome text\n").empty());
  EXPECT_TRUE(wheaty("#0  0x00007f in Map::Update (this=0x0) at Map.cpp:10\n").empty());
}

TEST(Wheaty, TotalOnHostileInput) {
  EXPECT_TRUE(wheaty("").empty());
  EXPECT_TRUE(wheaty("Call stack:").empty());
  EXPECT_EQ(wheaty("Exception code: C0000005").size(), 1u);
  std::string junk;
  for (int i = 0; i < 4096; ++i) {
    junk += static_cast<char>((i * 7919) % 256);
  }
  (void)wheaty(junk);
  (void)wheaty("Exception code: " + std::string(100000, 'F'));
  (void)wheaty("Assertion message:" + std::string(100000, '\n'));
  (void)wheaty(std::string(200000, '0') + "  " + std::string(8, '0') + "  f+1");
  // 10k frames: capped at 1024 with the truncated problem.
  std::string big = "Call stack:\n";
  for (int i = 0; i < 10000; ++i) {
    big += "006EFB97  00000000  Recursive::Call+A7  c:\\src\\r.cpp line 7\n";
  }
  big += "\n";
  Sections out = wheaty(big);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 1024u);
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

TEST(UndecorateMsvc, Forms) {
  EXPECT_EQ(undecorate_msvc("?invoke@ACE_OS_Thread_Adapter@@UAEKXZ"),
            "ACE_OS_Thread_Adapter::invoke");
  EXPECT_EQ(undecorate_msvc("?_RemoveAllStatBonuses@Player@@QEAAXXZ"),
            "Player::_RemoveAllStatBonuses");
  EXPECT_EQ(undecorate_msvc("?__ace_assert@@YAXPEBDH0@Z"), "__ace_assert");
  EXPECT_EQ(undecorate_msvc("??0Player@@QEAA@PEAVWorldSession@@@Z"), "Player::Player");
  EXPECT_EQ(undecorate_msvc("??1Inner@Outer@@UEAA@XZ"), "Outer::Inner::~Inner");
  EXPECT_EQ(undecorate_msvc("??4Foo@@QEAAAEAV0@AEBV0@@Z"), "Foo::operator=");
  // Templates and back-references are not read: unchanged.
  EXPECT_EQ(undecorate_msvc(
                "??$Visit@VCreature@@@ObjectUpdater@Acore@@QEAAXAEAV?$GridRefMgr@VCreature@@@@@Z"),
            "??$Visit@VCreature@@@ObjectUpdater@Acore@@QEAAXAEAV?$GridRefMgr@VCreature@@@@@Z");
  EXPECT_EQ(undecorate_msvc("??"), "??");
  EXPECT_EQ(undecorate_msvc("Map::Update"), "Map::Update");
  EXPECT_EQ(undecorate_msvc("?"), "?");
  EXPECT_EQ(undecorate_msvc("?a@@"), "a");
}

// ---- fixtures, through the whole parse stage ---------------------------------------------------

struct FixtureFrame {
  std::string function;
  std::string file_suffix;
  int line;
};

void expect_frames(const model::Crash& c, const std::vector<FixtureFrame>& want) {
  const auto& f = c.crashing_frames();
  ASSERT_GE(f.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(f[i].function, want[i].function) << i;
    EXPECT_TRUE(f[i].file.ends_with(want[i].file_suffix)) << i << ": " << f[i].file;
    EXPECT_EQ(f[i].line, want[i].line) << i;
  }
}

const model::Crash& only_crash(const Result& r) {
  EXPECT_EQ(r.crashes.size(), 1u);
  static const model::Crash k_none;
  return r.crashes.empty() ? k_none : r.crashes.front();
}

TEST(WheatyFixtures, SkyfireDebugHeapUseAfterFree) {
  Result r =
      parse_text(read_fixture("windows/skyfire406-771-debug-win32-vehicle-uninstall-dddd.txt"));
  const model::Crash& c = only_crash(r);
  EXPECT_EQ(c.kind, model::Kind::exception);
  EXPECT_EQ(c.exception_code, "0xC0000005");
  EXPECT_EQ(c.exception_name, "ACCESS_VIOLATION");
  EXPECT_EQ(c.fault_address, 0x00E2CA41u);
  EXPECT_EQ(c.timestamp, "2012-12-22T01:10");
  EXPECT_NE(c.error_message.find("debug-heap fill DDDDDDDD (EAX, ECX)"), std::string::npos);
  expect_frames(c, {{"Object::GetTypeId", "object.h", 142},
                    {"Vehicle::Uninstall", "vehicle.cpp", 117},
                    {"Unit::RemoveVehicleKit", "unit.cpp", 16674}});
  EXPECT_EQ(c.crashing_frames().size(), 9u);
  EXPECT_TRUE(c.has_problem(model::problem::truncated));
}

TEST(WheatyFixtures, SingleCoreAssertionWithoutStack) {
  Result r = parse_text(read_fixture("windows/singlecore-99-npcbots-defaultinit-c0000420.txt"));
  const model::Crash& c = only_crash(r);
  EXPECT_EQ(c.kind, model::Kind::assertion);
  EXPECT_EQ(c.exception_code, "0xC0000420");
  ASSERT_TRUE(c.assertion.has_value());
  EXPECT_EQ(c.assertion->function, "bot_ai::DefaultInit");
  EXPECT_EQ(c.assertion->line, 7586);
  EXPECT_TRUE(c.assertion->file.ends_with(R"(npcbots\bot_ai.cpp)"));
  EXPECT_EQ(c.assertion->condition, "!me->GetBotAI()");
  EXPECT_NE(c.assertion->message.find("ScriptName: paladin_bot"), std::string::npos);
  EXPECT_TRUE(c.has_problem(model::problem::truncated)); // cut inside the registers
}

TEST(WheatyFixtures, NoSymbolsAndPublicSymbols) {
  {
    Result r = parse_text(read_fixture("windows/skyfire548-589-win32-release-nosym.txt"));
    const model::Crash& c = only_crash(r);
    ASSERT_EQ(c.crashing_frames().size(), 5u);
    EXPECT_EQ(c.crashing_frames()[0].function, "");
    EXPECT_TRUE(c.crashing_frames()[0].module.ends_with("worldserver.exe"));
    EXPECT_EQ(c.crashing_frames()[0].offset, 0x003F41D4u);
    EXPECT_TRUE(c.has_problem(model::problem::unsymbolized));
  }
  {
    Result r = parse_text(read_fixture("windows/cmangos-966-win32-pubsyms-sendaieventaround.txt"));
    const model::Crash& c = only_crash(r);
    expect_frames(c,
                  {{"CreatureAI::SendAIEventAround", "", 0}, {"Creature::CallAssistance", "", 0}});
    EXPECT_EQ(c.crashing_frames().size(), 12u);
    EXPECT_EQ(c.exception_code, "0xC0000005");
  }
  {
    Result r = parse_text(read_fixture("windows/arkcore-20-pinfo-msvcr120-vsnprintf.txt"));
    const model::Crash& c = only_crash(r);
    expect_frames(
        c, {{"_mbctombb_l", "", 0}, {"_vsnprintf_l", "", 0}, {"_vsnprintf", "", 0}, {"", "", 0}});
    EXPECT_TRUE(c.crashing_frames()[0].module.ends_with("MSVCR120.dll"));
    EXPECT_TRUE(c.crashing_frames()[3].module.ends_with("worldserver.exe"));
  }
}

TEST(WheatyFixtures, CallStackSections) {
  struct Case {
    std::string file;
    std::vector<FixtureFrame> frames;
    size_t count;
    bool truncated;
  };
  std::vector<Case> cases{
      {"windows/ac-21886-beryl-sorcerer-updateai-callstack.txt",
       {{"npc_captured_beryl_sorcerer::npc_captured_beryl_sorcererAI::UpdateAI",
         "zone_borean_tundra.cpp", 713},
        {"Creature::Update", "Creature.cpp", 830}},
       5,
       true},
      {"windows/cmangos-934-threatmanager-arlokk-callstack.txt",
       {{"Object::GetUInt64Value", "object.h", 192}, {"Object::GetGuidValue", "object.h", 216}},
       10,
       true},
      {"windows/npcbots-192-initequips-field-getuint32-callstack.txt",
       {{"Field::GetUInt32", R"(Database\Field.cpp)", 119}, {"Item::LoadFromDB", "Item.cpp", 503}},
       8,
       true},
      {"windows/playerbots-1133-getguidvalue-chathelper-callstack.txt",
       {{"Object::GetGuidValue", "Object.cpp", 339},
        {"ChatHelper::FormatWorldobject", "ChatHelper.cpp", 340}},
       7,
       true},
      {"windows/legioncore-140-map-update-callstack-only.txt",
       {{"Map::Update", "Map.cpp", 1061}, {"Map::UpdateLoop", "Map.cpp", 5357}},
       6,
       false},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.file);
    Result r = parse_text(read_fixture(k.file));
    const model::Crash& c = only_crash(r);
    expect_frames(c, k.frames);
    EXPECT_EQ(c.crashing_frames().size(), k.count);
    EXPECT_EQ(c.has_problem(model::problem::truncated), k.truncated);
    EXPECT_EQ(c.exception_code, "");
    EXPECT_NE(std::find(c.formats.begin(), c.formats.end(), "wheaty"), c.formats.end());
  }
}

TEST(WheatyFixtures, FreezeDetectorReports) {
  {
    Result r = parse_text(read_fixture("freeze/cmangos-700-freezedetector-win32.txt"));
    const model::Crash& c = only_crash(r);
    EXPECT_EQ(c.exception_code, "0xC0000005");
    expect_frames(c, {{"FreezeDetectorRunnable::run", R"(mangosd\master.cpp)", 94},
                      {"ACE_Based::Thread::ThreadTask", "threading.cpp", 186},
                      {"ACE_OS_Thread_Adapter::invoke", "", 0}});
    EXPECT_EQ(c.threads.size(), 1u);
    EXPECT_FALSE(c.has_problem(model::problem::truncated)); // ends at the "=====" line
  }
  {
    Result r = parse_text(read_fixture("freeze/mangosr2-986-freezedetector-win64.txt"));
    const model::Crash& c = only_crash(r);
    expect_frames(c, {{"FreezeDetectorRunnable::run", R"(mangosd\master.cpp)", 99}});
    ASSERT_EQ(c.threads.size(), 2u);
    EXPECT_TRUE(c.threads[0].crashing);
    EXPECT_EQ(c.threads[1].frames.size(), 3u);
    EXPECT_EQ(c.threads[1].frames[2].function, "__ace_assert");
    EXPECT_TRUE(c.has_problem(model::problem::truncated)); // cut inside the second thread
  }
}

} // namespace
} // namespace crashpilot::parse
