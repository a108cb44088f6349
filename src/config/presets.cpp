// SPDX-License-Identifier: MIT
// Built-in presets. `base` holds rules true for any C++ program on Linux or Windows; `trinitycore`
// adds what TrinityCore / AzerothCore / MaNGOS servers and their bot modules need; `generic` is base
// alone, for any other server. All regular expressions are RE2 syntax.
#include <config/config.hpp>

#include <array>
#include <utility>

namespace crashpilot::config {

namespace {

constexpr std::string_view k_base = R"toml(
[triage]
# Frames in a signature, after helper frames are skipped.
signature_frames = 3
# Near signatures: frame-list similarity (LCS / edit distance) at or above this links two buckets.
similarity_threshold = 0.8
# Function names (without arguments) that are never the meaningful frame: runtimes, libc, the C++
# standard library, sanitizer interceptors, crash handlers and signal trampolines.
skip_functions = [
  '^(__GI_)?(raise|abort|__assert_fail|__assert_perror_fail|__assert_fail_base|__libc_message|__fortify_fail|__stack_chk_fail|__chk_fail)$',
  '^__pthread_kill(_implementation|_internal)?$', '^pthread_kill$', '^(__)?kill$', '^__restore_rt$', '^<signal handler called>$',
  '^_?_?libc_start_(main|call_main)', '^_start$', '^clone3?$', '^start_thread$', '^__clone',
  '^__lll_lock_wait', '^__futex_abstimed_wait', '^futex_wait', '^___?pthread_mutex_lock$', '^pthread_mutex_lock$',
  '^pthread_cond_(timed)?wait', '^__pthread_cond_wait', '^(__)?nanosleep$', '^__?poll$', '^epoll_wait$', '^__GI___(poll|nanosleep|clock_nanosleep)',
  '^(__interceptor_|__asan_|__asan::|__sanitizer::|__tsan|__ubsan|__lsan|__msan|___interceptor_)',
  '^(malloc|free|calloc|realloc|operator new|operator delete)', '^_?_?(mem|str|wcs)[a-z]*(_avx2|_sse2|_evex|_unaligned|_erms)?(_l)?$',
  '^std::__terminate$', '^std::terminate$', '^__cxa_(throw|rethrow|call_terminate|pure_virtual)$', '^__gnu_cxx::__verbose_terminate_handler',
  '^std::_?_?(throw|__throw)_', '^std::__throw_',
  '^(Rtl|Nt|Zw|Ki)[A-Z]\w*$', '^BaseThreadInitThunk$', '^UnhandledExceptionFilter$', '^__C_specific_handler$',
  '^_C_specific_handler$', '^RaiseException$', '^KiUserExceptionDispatcher$', '^_CxxThrowException$', '^__CxxFrameHandler\d?$',
  '^(_?invoke_watson|_?invalid_parameter(_noinfo)?|_?_?crt_\w+|_?CrtDbgReport\w*|_wassert|_assert|abort)$', '^_?_?chkstk$',
  '^(_?v?sn?w?printf(_s)?(_l)?|_?_?stdio_common_\w+|_?output_l|_?mbctombb_l|_?woutput_l)$', '^_?_?(tmainCRTStartup|mainCRTStartup|wmainCRTStartup)$',
  '^_?_?(GetThreadContext|NtGetContextThread)$', '^std::thread::_Invoke', '^std::thread::_State_impl', '^std::__invoke',
  '^std::_Invoker', '^std::invoke$', '^std::_Function_handler', '^std::function<', '^_?beginthreadex', '^thread_start',
  '^PrintStackTrace$', '^print_?stack_?trace$', '^backtrace$', '^__libc_backtrace$',
]
# Module (library) names whose frames are never meaningful.
skip_modules = [
  '(^|[/\\])(libc|libpthread|libstdc\+\+|libgcc_s|libm|libdl|ld-linux[\w-]*|libasan|libubsan|libtsan|liblsan|libclang_rt[\w.-]*)\.so',
  '(?i)(^|[/\\])(ntdll|kernel32|kernelbase|ucrtbase[d]?|msvcr\d+d?|msvcp\d+d?|vcruntime\d+d?|msvcrt)\.dll$',
  '^linux-vdso\.so', '(?i)valgrind/vgpreload', '^\[vdso\]$',
]
# Source files whose frames are never meaningful: system and standard-library headers.
skip_files = [
  '^/usr/include/', '/include/c\+\+/', '(^|[/\\])bits/[\w.]+\.h$', '(?i)[/\\]include[/\\](xtree|xmemory0?|xstring|xutility|list|vector|thread|functional|memory|type_traits|xhash|xlocale|atomic|mutex|condition_variable)$',
  '(?i)minkernel[/\\]crts[/\\]', '(?i)[/\\]crt[/\\]src[/\\]', '(?i)f:[/\\]dd[/\\]vctools[/\\]crt', '/sysdeps/', '/nptl/', '(^|/)glibc-[\d.]+/',
  '/compiler-rt/lib/', '/libsanitizer/', '(^|/)stdlib/abort\.c$', '(^|/)assert/assert\.c$',
]
# Accessors the fault passes through (a getter on a dangling object): skipped when a caller follows.
accessor_functions = [ '^std::(unique_ptr|shared_ptr|vector|list|map|unordered_map|__cxx11::basic_string|basic_string|_Rb_tree|_List_\w+)\b' ]
# Functions that only report an assertion: the assertion's own site is the meaningful frame.
assert_helpers = []
# Functions of freeze detectors and watchdogs: a crash raised in them is a freeze (kind = freeze).
watchdog_functions = []
# A stack with no signal whose crashing thread waits here (top frames) is a hang: kind = freeze.
hang_functions = [
  '^__lll_lock_wait', '^___?pthread_mutex_lock$', '^pthread_mutex_lock$', '^pthread_cond_(timed|clock)?wait', '^__pthread_cond_wait',
  '^__futex_abstimed_wait', '^futex_wait', '^std::mutex::lock$', '^std::recursive_mutex::lock$', '^std::condition_variable::wait',
  '^(Rtl)?EnterCriticalSection$', '^RtlpWaitOnCriticalSection$', '^(Nt|Zw)?WaitForSingleObject(Ex)?$', '^(Nt|Zw)?WaitForMultipleObjects(Ex)?$',
]
# Report formats whose bare stack (no signal banner, no hang) is taken as a crash: kind = signal.
crash_stack_formats = ['gdb', 'glibc-backtrace']
# Path components where the repository-relative part of a source path starts (first match wins).
root_markers = ['src', 'source', 'modules', 'dep', 'deps', 'code', 'lib', 'include', 'scripts', 'tests']
# Fault addresses below this are null-pointer dereferences (the zero page).
null_page_limit = 65536

[triage.bot]
# Matched against the meaningful frame and the frames near it (function names and source paths), and
# against the assertion's message (debug info). Never against the whole multi-thread dump.
function_patterns = []
file_patterns = []
message_patterns = []
frames_checked = 6

[triage.severity]
default = "HIGH"
# Severity per category; categories not listed get `default`.
by_category = { USE_AFTER_FREE = "CRITICAL", HEAP_OVERFLOW = "CRITICAL", STACK_OVERFLOW = "CRITICAL", DOUBLE_FREE = "CRITICAL", DATA_RACE = "HIGH", NULL_DEREF = "HIGH", ASSERTION = "HIGH", ABORT = "HIGH", DEADLOCK = "CRITICAL", FREEZE = "CRITICAL", STACK_EXHAUSTION = "HIGH", UNCAUGHT_EXCEPTION = "HIGH", INVALID_MEMORY_ACCESS = "HIGH", MEMORY_LEAK = "MEDIUM", UNDEFINED_BEHAVIOR = "MEDIUM", ERROR_REPORT = "LOW", UNKNOWN = "HIGH" }

# Categories: the first rule whose every given condition holds wins. Conditions:
#   kind       - crash kinds (signal, exception, assertion, sanitizer, freeze, abort, unknown)
#   code       - regex over "exception_code exception_name error_message"
#   frames     - regex over any function of the crashing thread
#   any_thread_frames - regex over any function of any thread
#   null_fault - true: the fault address is in the null page
#   text       - regex over the assertion text / error message
[[triage.category]]
name = "DOUBLE_FREE"
code = '(?i)double-free|attempting double-free|free\(\): double free'
[[triage.category]]
name = "USE_AFTER_FREE"
code = '(?i)use-after-free|use-after-poison|heap-use-after|freed memory|Invalid read of size|Invalid write of size'
[[triage.category]]
name = "USE_AFTER_FREE"
code = '(?i)^(0x)?C0000005'
text = '(?i)\b(DDDDDDDD|FEEEFEEE|DEADBEEF|CDCDCDCD)\b'
[[triage.category]]
name = "HEAP_OVERFLOW"
code = '(?i)heap-buffer-overflow|global-buffer-overflow|container-overflow'
[[triage.category]]
name = "STACK_OVERFLOW"
code = '(?i)stack-buffer-(overflow|underflow)|stack-use-after-(scope|return)|dynamic-stack-buffer-overflow'
[[triage.category]]
name = "STACK_EXHAUSTION"
code = '(?i)stack-overflow|STACK_OVERFLOW|C00000FD'
[[triage.category]]
name = "DATA_RACE"
code = '(?i)data race|ThreadSanitizer: (race|data)'
[[triage.category]]
name = "DEADLOCK"
code = '(?i)lock-order-inversion|deadlock'
[[triage.category]]
name = "MEMORY_LEAK"
code = '(?i)detected memory leaks|LeakSanitizer|definitely lost'
[[triage.category]]
name = "DEADLOCK"
kind = ["freeze"]
any_thread_frames = '^(__lll_lock_wait|___?pthread_mutex_lock|pthread_mutex_lock|std::mutex::lock|std::recursive_mutex::lock|(Rtl)?EnterCriticalSection|RtlpWaitOnCriticalSection|NtWaitForSingleObject|WaitForSingleObject)'
[[triage.category]]
name = "FREEZE"
kind = ["freeze"]
[[triage.category]]
name = "NULL_DEREF"
code = '(?i)null pointer|null reference|reference binding to null|member (call|access) on null|SEGV on unknown address 0x0{1,4}[0-9a-f]{0,3}\b'
[[triage.category]]
name = "UNDEFINED_BEHAVIOR"
kind = ["sanitizer"]
code = '(?i)runtime error|UndefinedBehaviorSanitizer'
[[triage.category]]
name = "ASSERTION"
kind = ["assertion"]
[[triage.category]]
name = "UNCAUGHT_EXCEPTION"
code = '(?i)E06D7363|Unhandled C\+\+ exception|terminate called|uncaught exception'
[[triage.category]]
name = "UNCAUGHT_EXCEPTION"
kind = ["abort", "signal"]
frames = '^(std::terminate|std::__terminate|__cxa_throw|__cxa_rethrow|__gnu_cxx::__verbose_terminate_handler|_CxxThrowException)$'
[[triage.category]]
name = "ABORT"
kind = ["abort"]
[[triage.category]]
name = "NULL_DEREF"
kind = ["signal", "exception"]
null_fault = true
[[triage.category]]
name = "NULL_DEREF"
kind = ["signal", "exception"]
text = '\bthis=0x0\b'
[[triage.category]]
name = "DIVIDE_BY_ZERO"
code = '(?i)SIGFPE|DIVIDE_BY_ZERO|division by zero|integer divide'
[[triage.category]]
name = "ILLEGAL_INSTRUCTION"
code = '(?i)SIGILL|ILLEGAL_INSTRUCTION|PRIV_INSTRUCTION'
[[triage.category]]
name = "INVALID_MEMORY_ACCESS"
code = '(?i)SIGSEGV|SIGBUS|ACCESS_VIOLATION|C0000005|SEGV|Segmentation fault|IN_PAGE_ERROR'
[[triage.category]]
name = "ERROR_REPORT"
kind = ["unknown"]
[queue]
# Root of the file queue (requests/, in_progress/, responses/, completed/, rejected/); created 0700.
root = ".crashpilot/queue"
# How long a claim holds a request before another claimer may take it over.
lease_seconds = 1800
# A request moved to in_progress/ whose claimer died before writing the lease is reclaimable after this.
claim_grace_seconds = 60
# Responses larger than this are rejected unread.
max_response_bytes = 8388608
# Caps on what goes into a request; a cut field gets a `truncated` count beside it.
max_string_bytes = 4096
max_list_items = 200
max_log_tail_bytes = 16384
max_snippet_bytes = 16384
# Repository used for source snippets and `git apply --check`; "" = none (no snippets, no apply check).
repo_root = ""

[store]
# The crash history (SQLite). Relative paths are relative to the working directory.
path = ".crashpilot/crashpilot.db"
# Occurrences kept per bucket (the bucket's count still counts the trimmed ones).
max_occurrences_per_bucket = 200
# Compressed report texts kept in all; the oldest go first.
max_total_raw_bytes = 268435456
# One report text is cut to this many bytes before it is stored.
max_raw_bytes_per_report = 1048576
# How long a writer waits for another's lock before failing.
busy_timeout_ms = 5000

[policy]
# Paths (globs with `**`, `*`, `?`) a response may change, in order of preference; forbidden wins.
allowed_paths = ['**']
forbidden_paths = ['.git/**']
max_files = 10
max_changed_lines = 500
)toml";

constexpr std::string_view k_trinitycore = R"toml(
# TrinityCore / AzerothCore / MaNGOS family servers and their bot modules (mod-playerbots, the
# TrinityCore Playerbot fork, cMaNGOS playerbots, NPCBots).
[triage]
skip_functions_add = [
  '^(Trinity|Acore|MaNGOS|acore)::(Assert|Abort|Fatal|Error|Warning|AbortHandler)\b', '^(Trinity|Acore)::Impl::', '^ASSERT_NOTNULL_IMPL$',
  '^WheatyExceptionReport::', '^WheatyCrtHandler$', '^(Trinity|Acore)::(anonymous namespace)::', '^Crash$',
  '^(WPAssert|WPError|WPFatal|WPAbort|WPWarning)',
]
skip_files_add = ['(?i)(^|[/\\])(common|shared)[/\\]Debugging[/\\](Errors|WheatyExceptionReport)\.(cpp|h)$', '(?i)(^|[/\\])Errors\.cpp$']
accessor_functions_add = [
  '^(Object|WorldObject|Unit|Player|Creature|GameObject|Item)::(Get|Is|Has)(UInt32|UInt64|Int32|Float|Byte|Guid|GUID|ObjectGuid|TypeId|Flag|Entry|Value)\w*$',
  '^Object::GetTypeId$', '^Object::GetEntry$', '^Field::Get\w+$', '^ObjectGuid::(operator|Get)', '^ObjectGuid::IsEmpty$',
]
assert_helpers_add = ['^ASSERT_NOTNULL_IMPL$']
watchdog_functions_add = ['FreezeDetector', '^FreezeDetectorRunnable::run$', '(^|::)FreezeDetectorThread', 'WorldUpdateLoop\(\) waiting']

[triage.bot]
function_patterns = [
  '(?i)playerbot', '^ai::', '(^|::)bot_ai\b', '(^|::)bot_\w+', '\w+_bot(AI)?::', '\bBotMgr\b', '\bBotDataMgr\b', '\bBotSession\b',
  '\bBotAI\b', '\bRandomPlayerbot', '^Playerbot::', '\bDeathRecoveryManager\b', '\bBehaviorManager\b', '(?i)npcbot',
]
file_patterns = ['(?i)mod-playerbots', '(?i)[/\\]playerbots?[/\\]', '(?i)[/\\]npcbots[/\\]', '(?i)[/\\]modules[/\\]Playerbot[/\\]', '(?i)[/\\]PlayerBot[/\\]']
message_patterns = ['ScriptName: \w+_bot\b', '(?i)\bnpcbot']

[queue]
# The seed's queue, so an existing /analyze-crash command keeps working.
root = ".claude/crash_analysis_queue"

[policy]
# The seed's file-modification hierarchy: module code first, then game code; never the shared core,
# dependencies or SQL.
allowed_paths = ['src/modules/**', 'src/server/game/**']
forbidden_paths = ['.git/**', 'dep/**', 'sql/**', 'src/server/shared/**', 'src/common/**', 'cmake/**']
max_files = 5
max_changed_lines = 300
)toml";

constexpr std::string_view k_generic = R"toml(
# Any C++ server: the base rules only.
)toml";

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> k_presets{{
    {"base", k_base},
    {"trinitycore", k_trinitycore},
    {"generic", k_generic},
}};

} // namespace

std::vector<std::string> preset_names() { return {"trinitycore", "generic"}; }

std::optional<std::string_view> preset_text(std::string_view name) {
  for (const auto& [n, text] : k_presets) {
    if (n == name) {
      return text;
    }
  }
  return std::nullopt;
}

} // namespace crashpilot::config
