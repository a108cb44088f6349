// SPDX-License-Identifier: MIT
#include <parse/merge.hpp>

#include <algorithm>

namespace crashpilot::parse {

namespace {

// Lines of unrelated text after which the next section starts a new crash.
constexpr size_t k_max_gap = 200;

bool conflicts(Role a, Role b) {
  auto stacky = [](Role r) { return r == Role::stack || r == Role::report; };
  if (stacky(a) && stacky(b)) {
    return true;
  }
  return a == b; // two assertion blocks or two headers are two crashes
}

// When sections disagree on the kind, the more specific one wins: an assertion that ended in
// SIGSEGV is an assertion; a freeze detector's ABORT is a freeze.
int kind_rank(model::Kind k) {
  switch (k) {
  case model::Kind::freeze:
    return 6;
  case model::Kind::assertion:
    return 5;
  case model::Kind::sanitizer:
    return 4;
  case model::Kind::abort:
    return 3;
  case model::Kind::exception:
    return 2;
  case model::Kind::signal:
    return 1;
  case model::Kind::unknown:
    return 0;
  }
  return 0;
}

size_t symbolized_frames(const model::Crash& c) {
  const auto& frames = c.crashing_frames();
  return static_cast<size_t>(std::count_if(frames.begin(), frames.end(), [](const model::Frame& f) {
    return !f.function.empty() && f.function != "??";
  }));
}

size_t total_frames(const model::Crash& c) {
  size_t n = 0;
  for (const auto& t : c.threads) {
    n += t.frames.size();
  }
  return n;
}

template <typename T>
void take_if_empty(T& into, const T& from) {
  if (into == T{}) {
    into = from;
  }
}

// Which section's word counts first for scalar facts (code, name, message): a complete report knows
// more than a stack, a stack more than a one-line header.
int role_rank(Role r) {
  switch (r) {
  case Role::report:
    return 0;
  case Role::assertion:
    return 1;
  case Role::stack:
    return 2;
  case Role::header:
    return 3;
  }
  return 4;
}

model::Crash combine(const Document& doc, const std::vector<Section*>& in_order, const Options& options) {
  model::Crash out;
  Section* best_stack = nullptr;
  std::vector<Section*> group = in_order;
  std::stable_sort(group.begin(), group.end(),
                   [](const Section* a, const Section* b) { return role_rank(a->role) < role_rank(b->role); });
  for (Section* s : group) {
    const model::Crash& c = s->crash;
    if (kind_rank(c.kind) > kind_rank(out.kind)) {
      out.kind = c.kind;
    }
    take_if_empty(out.exception_code, c.exception_code);
    take_if_empty(out.exception_name, c.exception_name);
    take_if_empty(out.signal, c.signal);
    take_if_empty(out.error_message, c.error_message);
    take_if_empty(out.timestamp, c.timestamp);
    if (!out.fault_address && c.fault_address) {
      out.fault_address = c.fault_address;
    }
    if (!out.assertion && c.assertion) {
      out.assertion = c.assertion;
    }

    for (const auto& p : c.problems) {
      out.add_problem(p);
    }
    if (!c.threads.empty()) {
      if (!best_stack || symbolized_frames(c) > symbolized_frames(best_stack->crash) ||
          (symbolized_frames(c) == symbolized_frames(best_stack->crash) &&
           total_frames(c) > total_frames(best_stack->crash))) {
        best_stack = s;
      }
    }
  }
  for (const Section* s : in_order) {
    if (std::find(out.formats.begin(), out.formats.end(), s->format) == out.formats.end()) {
      out.formats.push_back(s->format);
    }
  }
  if (best_stack) {
    // The sections are merge_sections' own copies: the (possibly thousands of) threads move.
    out.threads = std::move(best_stack->crash.threads);
    // A second report of the same crash may know the source site this stack lacks (a UBSan runtime
    // error's file:line before an unsymbolized ASan stack): keep its top frame as a "site" stack.
    for (const Section* s : group) {
      const model::Thread* t = s == best_stack ? nullptr : s->crash.crashing_thread();
      if (t && !t->frames.empty() && !t->frames.front().file.empty()) {
        model::Thread site;
        site.role = "site";
        site.name = s->format;
        site.frames.push_back(t->frames.front());
        out.threads.push_back(std::move(site));
      }
    }
  }
  for (auto& t : out.threads) {
    if (t.frames.size() > options.max_frames_per_thread) {
      t.frames.resize(options.max_frames_per_thread);
      out.add_problem(model::problem::truncated);
    }
  }
  if (out.threads.size() > options.max_threads) {
    out.threads.resize(options.max_threads);
    out.add_problem(model::problem::truncated);
  }
  for (auto& t : out.threads) {
    for (size_t i = 0; i < t.frames.size(); ++i) {
      t.frames[i].index = static_cast<int>(i);
    }
  }
  if (total_frames(out) == 0) {
    out.add_problem(model::problem::no_frames);
  } else {
    const auto& frames = out.crashing_frames();
    size_t named = symbolized_frames(out);
    if (!frames.empty() && named * 2 < frames.size()) {
      out.add_problem(model::problem::unsymbolized);
    }
  }

  size_t first = group.front()->first;
  size_t last = group.front()->last;
  for (const Section* s : group) {
    first = std::min(first, s->first);
    last = std::max(last, s->last);
  }
  for (size_t i = first; i <= last && i < doc.size(); ++i) {
    if (out.raw.size() + doc[i].size() + 1 > options.max_raw_bytes) {
      out.raw += "[... cut by crashpilot: raw text limit ...]\n";
      break;
    }
    out.raw += doc[i];
    out.raw += '\n';
  }
  return out;
}

} // namespace

void merge_sections(const Document& doc, Sections sections, const Options& options, Result& result) {
  std::stable_sort(sections.begin(), sections.end(),
                   [](const Section& a, const Section& b) { return a.first < b.first; });
  std::vector<std::vector<Section*>> groups;
  for (auto& s : sections) {
    bool join = false;
    if (!groups.empty()) {
      const auto& g = groups.back();
      size_t last = 0;
      for (const Section* m : g) {
        last = std::max(last, m->last);
      }
      join = s.first <= last + k_max_gap &&
             std::none_of(g.begin(), g.end(), [&](const Section* m) { return conflicts(m->role, s.role); });
      // A section nested inside a report (an assertion message inside a Wheaty report) always joins.
      join = join || std::any_of(g.begin(), g.end(), [&](const Section* m) {
               return m->role == Role::report && s.first >= m->first && s.last <= m->last;
             });
    }
    if (join) {
      groups.back().push_back(&s);
    } else {
      groups.push_back({&s});
    }
  }
  for (const auto& g : groups) {
    if (result.crashes.size() >= options.max_crashes) {
      ++result.crashes_dropped;
      continue;
    }
    result.crashes.push_back(combine(doc, g, options));
  }
}

} // namespace crashpilot::parse
