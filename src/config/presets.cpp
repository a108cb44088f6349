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

[fix]
# Build commands, run in order in the attempt's worktree (argv lists, no shell). Placeholders:
# {worktree} {repo} {jobs} {build_dir} {ccache} (its path, "" when not installed). [] = no build step (the verify command builds, or none is needed).
build = []
build_timeout_seconds = 1800
# Parallel jobs for {jobs} (0 = the number of CPUs).
jobs = 0
# The user's existing build directory ({build_dir}), e.g. to reuse its CMake cache.
build_dir = ""
# Lines of the build log (errors first) handed to the next attempt after a failed build.
build_log_lines = 80
# Branch and worktree of each attempt: <branch_prefix><bucket>-<attempt> under worktree_dir.
branch_prefix = "crashpilot/"
worktree_dir = ".crashpilot/worktrees"
# Patches at or above this risk wait for `crashpilot apply` even in auto mode:
# "low", "medium", "high", or "none" (auto mode may merge any risk the policy allows).
approval_risk = "high"
# Analysis attempts per calendar day over all buckets (the per-bucket budget is analyze.max_attempts_per_bucket).
max_attempts_per_day = 20
# The anti-mask gate: macros whose removal or weakening masks a crash, and where the tests live.
assert_macros = ['assert', 'ASSERT', 'ASSERT_NOTNULL', 'WPAssert', 'WPError', 'WPFatal', 'ABORT', 'CHECK', 'DCHECK', 'VERIFY', 'ENSURE', 'static_assert', 'BOOST_ASSERT', 'Q_ASSERT']
test_paths = ['test/**', 'tests/**', '**/test/**', '**/tests/**', '**/*_test.cpp', '**/*_tests.cpp', '**/test_*.cpp', '**/*Test.cpp', '**/*Tests.cpp']
# An added early return is "at the faulting frame" within this many lines of the crash line.
gate_window_lines = 25

[verify]
# A command that reproduces the crash (argv, run in the worktree under the capture supervisor);
# [] = soak the patched server ([server] command) instead.
repro_command = []
# The patched server a soak runs (argv; {worktree} is the attempt's worktree). [] = [server] command
# with its paths inside the repository moved into the worktree.
server_command = []
# The repro must pass this many times in a row.
repro_runs = 3
repro_timeout_seconds = 300
# Without a repro: run crash-free long enough that, at the bucket's own crash rate, a surviving bug
# would have crashed with this probability (Poisson zero-event bound), within these limits.
soak_confidence = 0.95
soak_min_seconds = 10
soak_max_seconds = 3600
# When the bucket's history gives no rate (one crash, no uptime): assume one crash per this many seconds.
default_crash_interval_seconds = 600

[loop]
# review: stop at a verified branch and print `crashpilot apply ATTEMPT`; auto: merge fixed
# patches the policy allows; capture: only supervise, capture and queue.
mode = "review"
# Seconds one analysis may take (the agent's own limits are analyze.timeout_seconds).
analysis_timeout_seconds = 1800
# The agent preset the loop runs ("builtin" = the built-in analyzer, which never writes a patch).
agent = "builtin"

[server]
# The server `crashpilot run` starts when no command follows `--`, e.g. ['./worldserver', '-c', 'worldserver.conf'].
command = []
# Its working directory ("" = crashpilot's).
cwd = ""

[capture]
# Reports (JSON + gdb-style text) of every crash, abort and hang.
crash_dir = ".crashpilot/crashes"
# "ptrace": supervise under PTRACE_SEIZE (no steady-state cost); "core": no ptrace, read the kernel's cores.
method = "ptrace"
# Where ptrace is refused (Yama, containers), fall back to cores instead of failing.
core_fallback = true
# Record each incident in the store and queue it for analysis.
record = true
# "never", "on-failure" (not after a clean exit) or "always".
restart = "on-failure"
# Restart backoff: doubles from the first delay up to the cap; a run longer than stable_seconds resets it.
backoff_initial_ms = 1000
backoff_max_ms = 60000
stable_seconds = 300
# The same signature this many times within the window is a crash loop: restarts stop, exit 6.
crash_loop_count = 3
crash_loop_window_seconds = 600
# SIGTERM on stop, SIGKILL after this long.
stop_grace_seconds = 30
# A server still alive this long after its fatal signal (a handler that never returns) is killed.
exit_grace_seconds = 10
# A non-zero exit sooner than this after the start is a start-up failure.
startup_seconds = 5
# Hung when no line matching logs.heartbeat_regex arrived for this long (0 = off).
hang_seconds = 0
# Hung when the main thread used no CPU for this long (0 = off; idle servers may legitimately sleep).
cpu_stall_seconds = 0
# Frames kept per thread; deeper stacks (runaway recursion) are cut.
max_frames = 256
# Extra directories with separate debug files (besides /usr/lib/debug and .gnu_debuglink).
debug_dirs = []
# Uncompressed copies of compressed debug files (libc6-dbg), so a capture does not inflate them each
# time: "" = $XDG_CACHE_HOME/crashpilot/debug (~/.cache/...), "off" = none, or a directory.
debug_cache = ""

[logs]
# Logs followed while the server runs; the last lines before a crash go into its report. Relative
# source paths start in `dir`; a relative `dir` starts in the server's working directory.
dir = ""
# Kept per source: the last ring_lines lines that arrived in the last ring_seconds, at most
# ring_bytes of text; warnings and errors also apart (alert_lines), so INFO floods cannot push them out.
ring_lines = 2000
ring_seconds = 300
ring_bytes = 1048576
alert_lines = 500
max_line_bytes = 4096
# In a report: the last context_lines lines per list, the last max_errors errors and max_warnings warnings.
context_lines = 50
max_errors = 50
max_warnings = 50
# The same line in two sources (stdout and the log file) within this many milliseconds is kept once.
dedup_window_ms = 2000
# A line's level is its logger's level word when it has one; these raise it (plain literals are fastest).
error_patterns = ['\[ERROR\]', '\[FATAL\]', '\[CRITICAL\]', '\[error\]', '\[fatal\]', '\[critical\]', 'ERROR:', 'FATAL:', 'ASSERTION FAILED', 'Assertion .+ failed', 'terminate called']
warn_patterns = ['\[WARN\]', '\[WARNING\]', '\[warn\]', '\[warning\]', 'WARNING:', 'WARN:']
# A line from the server's own freeze detector (the watchdog snapshots and restarts on it); "" = none.
freeze_regex = ""
# The watchdog's "still alive" line: none for heartbeat_source in N seconds means hung; "" = none.
heartbeat_regex = ""
heartbeat_source = ""

# Sources: path = a file, or stream = the server's "stdout" / "stderr"; role = "server" or "playerbot";
# start = "end" (only new lines) or "start" (the whole file); heartbeat = this source's own heartbeat regex.
[[logs.source]]
name = "stdout"
stream = "stdout"
role = "server"

[[logs.source]]
name = "stderr"
stream = "stderr"
role = "server"

[mcp]
# Files `crashpilot mcp` never serves to an agent (get_source, resources), even at the crash's commit.
secret_paths = ['**/.env', '**/.env.*', '**/*.pem', '**/*.key', '**/*.p12', '**/*.pfx', '**/id_rsa*', '**/id_ed25519*', '**/.netrc', '**/credentials*', '**/secrets/**']
# A tool result's text is cut to this many characters (agents' context windows are the limit).
max_result_chars = 20000
# A protocol message longer than this is skipped and answered with -32600.
max_line_bytes = 8388608

[analyze]
# One agent run: wall-clock limit, and how long it may print nothing (0 = no idle limit; agents with
# plain JSON output print only at the end, so keep it generous). Then SIGTERM to everything it
# started, SIGKILL kill_grace_seconds later.
timeout_seconds = 1200
idle_timeout_seconds = 900
kill_grace_seconds = 10
# After the agent exits, helpers it left (MCP servers) may hold its output open this long.
exit_drain_seconds = 10
# Per stream; the rest is read and dropped.
max_output_bytes = 33554432
# Agent runs per bucket (over all `analyze` runs) before the runner stops picking it. Retryable
# failures (timeouts, rate limits, crashes, rejected responses) are retried with doubling backoff.
max_attempts_per_bucket = 3
# Retries of one request within one `analyze` run (still within the budget above).
max_retries = 2
retry_backoff_seconds = 30
retry_backoff_max_seconds = 600
# The only variables an agent sees (names; a trailing * is a prefix), besides the CRASH_* ones
# the runner sets. Add your agent's credentials variable here if it is not listed.
env_allow = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'LC_*', 'TZ', 'TERM', 'TMPDIR', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'CRASHPILOT_*', 'ANTHROPIC_*', 'CLAUDE_*', 'OPENAI_*', 'CODEX_*', 'GEMINI_*', 'GOOGLE_*', 'AIDER_*', 'AWS_*', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS']
# Prompt, MCP config, agent output and outcome of every run, kept for inspection.
run_dir = ".crashpilot/runs"
# Caps handed to agents that take them ({budget_usd}, {max_turns} in argv).
budget_usd = 5
max_turns = 60
# Your own MCP servers, added beside `crashpilot mcp` and named in the prompt, e.g.
# [analyze.extra_mcp_servers.serena]
# command = "serena"
# args = ["start-mcp-server", "--context", "agent"]
# description = "semantic code search over the server's source"
[analyze.extra_mcp_servers]

# Headless agents (`crashpilot analyze --agent NAME`). argv placeholders: {mcp_config} {prompt_file}
# {prompt} {workdir} {queue} {request_id} {lease_id} {response_path} {request_file}
# {last_message_file} {budget_usd} {max_turns} {allowed_tools} {crashpilot} {mcp_args_toml} {run_dir};
# {{ and }} are
# literal braces. prompt = "stdin" | "arg" | "file"; output = claude-json | claude-stream |
# codex-jsonl | gemini-json | text; edits = true: the agent edits the worktree and its diff is the
# patch; mcp = false: file protocol only.
[agents.claude]
argv = ['claude', '-p', '--output-format', 'json', '--mcp-config', '{mcp_config}', '--strict-mcp-config', '--allowedTools', '{allowed_tools}', '--permission-mode', 'dontAsk', '--max-turns', '{max_turns}', '--max-budget-usd', '{budget_usd}']
resume = ['claude', '-p', '--resume', '{session_id}', '--output-format', 'json', '--mcp-config', '{mcp_config}', '--strict-mcp-config', '--allowedTools', '{allowed_tools}', '--permission-mode', 'dontAsk']
prompt = "stdin"
output = "claude-json"
edits = false

[agents.codex]
argv = ['codex', 'exec', '--json', '--sandbox', 'read-only', '--skip-git-repo-check', '--ephemeral', '-C', '{workdir}', '-o', '{last_message_file}', '-c', 'mcp_servers.crashpilot.command="{crashpilot}"', '-c', 'mcp_servers.crashpilot.args={mcp_args_toml}', '-']
prompt = "stdin"
output = "codex-jsonl"
edits = false

[agents.gemini]
argv = ['gemini', '-p', 'Follow the instructions given on standard input.', '--output-format', 'json', '--allowed-mcp-server-names', 'crashpilot', '--approval-mode', 'default']
prompt = "stdin"
output = "gemini-json"
edits = false

[agents.aider]
argv = ['aider', '--message-file', '{prompt_file}', '--yes-always', '--no-auto-commits', '--no-stream', '--no-check-update', '--no-gitignore']
prompt = "file"
output = "text"
edits = true
mcp = false

# Any CLI: set argv (e.g. --set 'agents.custom.argv=["my-agent","--task-file","{prompt_file}"]').
[agents.custom]
argv = []
prompt = "stdin"
output = "text"
edits = false
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

[fix]
# A worktree build of its own, configured like yours: set build_dir to your existing build directory.
build = [
  ['cmake', '-S', '{worktree}', '-B', '{worktree}/.crashpilot-build', '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=RelWithDebInfo', '-DTOOLS=0', '-DSCRIPTS=static', '-DCMAKE_CXX_COMPILER_LAUNCHER={ccache}'],
  ['cmake', '--build', '{worktree}/.crashpilot-build', '--target', 'worldserver', '-j', '{jobs}'],
]
build_timeout_seconds = 7200

[verify]
server_command = ['{worktree}/.crashpilot-build/bin/worldserver']

[logs]
# Log.conf's LogsDir (relative: the worldserver's working directory).
dir = ""
# FreezeDetector: "World Thread hangs, kicking out server!" / "World Thread hangs for N ms, forcing a crash!"
freeze_regex = 'World Thread hangs'
# Playerbot modules log without level words; their emoji say it.
error_patterns_add = ['❌', '🚨', '💥']
warn_patterns_add = ['⚠']

[[logs.source]]
name = "Server.log"
path = "Server.log"
role = "server"

[[logs.source]]
name = "Playerbot.log"
path = "Playerbot.log"
role = "playerbot"

[[logs.source]]
name = "DBErrors.log"
path = "DBErrors.log"
role = "server"

[[logs.source]]
name = "stdout"
stream = "stdout"
role = "server"

[[logs.source]]
name = "stderr"
stream = "stderr"
role = "server"
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
