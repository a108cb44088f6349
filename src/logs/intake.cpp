// SPDX-License-Identifier: MIT
#include <logs/classifier.hpp>
#include <logs/intake.hpp>
#include <logs/text.hpp>

namespace crashpilot::logs {

namespace {

int64_t to_ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::optional<TimePoint> from_ns(int64_t ns) {
  if (ns == INT64_MIN) {
    return std::nullopt;
  }
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(ns)));
}

// Single writer: a relaxed load and store is enough and cheaper than an atomic add.
void bump(std::atomic<uint64_t>& counter, uint64_t n) {
  if (n != 0) {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
}

} // namespace

Intake::Intake(std::string name, const Matcher* matcher, IntakeLimits limits, uint64_t* seq)
    : m_name(std::move(name)), m_matcher(matcher), m_limits(limits), m_seq(seq), m_all(limits.ring),
      m_alerts(RingLimits{limits.alert_lines, limits.alert_lines * 640, limits.ring.max_age}) {}

void Intake::lines(std::string_view block) {
  m_hits.clear();
  if (m_matcher != nullptr && !m_matcher->empty()) {
    m_matcher->scan(block, m_hits);
  }
  uint64_t count = 0;
  m_block_plain = index_lines(block, m_newlines);
  {
    std::lock_guard lock(m_mutex);
    size_t h = 0;
    size_t start = 0;
    for (size_t word = 0; word < m_newlines.size(); ++word) {
      for (uint32_t bits = m_newlines[word]; bits != 0; bits &= bits - 1) {
        size_t end = word * 32 + static_cast<size_t>(__builtin_ctz(bits));
        size_t first = h;
        while (h < m_hits.size() && m_hits[h].position < end) {
          ++h;
        }
        add(block.substr(start, end - start), start,
            std::span<const LiteralSet::Hit>(m_hits.data() + first, h - first), true);
        ++count;
        start = end + 1;
      }
    }
  }
  publish(count, block.size());
}

void Intake::line(std::string_view text) {
  m_block_plain = false;
  {
    std::lock_guard lock(m_mutex);
    add(text, 0, {}, false);
  }
  publish(1, text.size());
}

void Intake::publish(uint64_t lines, uint64_t bytes) {
  bump(m_lines, lines);
  bump(m_bytes, bytes);
  m_last_line_ns.store(to_ns(m_arrival), std::memory_order_relaxed);
}

// One line without its newline. `hits` are the block scan's hits inside it (positions relative to
// the block, the line starting at `offset`); a line not `scanned` with its block, or changed by
// cleaning, is scanned here.
void Intake::add(std::string_view raw, size_t offset, std::span<const LiteralSet::Hit> hits,
                 bool scanned) {
  if (!raw.empty() && raw.back() == '\r') {
    raw.remove_suffix(1);
  }
  // A file truncated under a writer that does not append continues with a run of NUL bytes.
  size_t nuls = 0;
  while (nuls < raw.size() && raw[nuls] == '\0') {
    ++nuls;
  }
  raw.remove_prefix(nuls);
  offset += nuls;
  if (raw.empty()) {
    return;
  }
  bool cut = false;
  std::string_view text = clean_line(raw, m_limits.max_line_bytes, m_scratch, cut, m_block_plain);
  unsigned tags = 0;
  if (m_matcher != nullptr && !m_matcher->empty()) {
    tags = scanned && text.data() == raw.data() ? m_matcher->tags(text, offset, hits)
                                                : m_matcher->tags(text);
  }
  if (cut) {
    bump(m_cut, 1);
  }
  Prefix prefix = parse_prefix(text, m_clock);
  LineMeta meta;
  meta.arrival = m_arrival;
  meta.own_time = prefix.time.has_value();
  meta.time = prefix.time.value_or(m_arrival);
  meta.seq = (*m_seq)++;
  meta.body = prefix.body;
  meta.message = prefix.message;
  meta.level = raise_level(prefix.level, tags);
  m_all.push(text, meta);
  if (meta.level >= Level::warn) {
    m_alerts.push(text, meta);
    bump(meta.level >= Level::error ? m_errors : m_warnings, 1);
  }
  if (tags & tag_heartbeat) {
    m_heartbeat_ns.store(to_ns(m_arrival), std::memory_order_relaxed);
  }
  if (tags & tag_freeze) {
    m_freezes.push_back({m_name, std::string(text), m_arrival});
  }
}

std::vector<FreezeEvent> Intake::take_freezes() {
  return std::exchange(m_freezes, {});
}

void Intake::expire(TimePoint now) {
  std::lock_guard lock(m_mutex);
  m_all.expire(now);
  m_alerts.expire(now);
}

void Intake::copy_lines(std::vector<Line>& out) const {
  std::lock_guard lock(m_mutex);
  uint64_t oldest = UINT64_MAX;
  m_all.for_each([&](std::string_view, const LineMeta& m) { oldest = std::min(oldest, m.seq); });
  auto emit = [&](std::string_view text, const LineMeta& m) {
    Line l;
    l.text.assign(text);
    l.source = m_name;
    l.level = m.level;
    l.time = m.time;
    l.arrival = m.arrival;
    l.own_time = m.own_time;
    l.seq = m.seq;
    l.body = m.body;
    l.message = m.message;
    out.push_back(std::move(l));
  };
  m_alerts.for_each([&](std::string_view text, const LineMeta& m) {
    if (m.seq < oldest) {
      emit(text, m);
    }
  });
  m_all.for_each(emit);
}

std::optional<TimePoint> Intake::last_heartbeat() const {
  return from_ns(m_heartbeat_ns.load(std::memory_order_relaxed));
}

std::optional<TimePoint> Intake::last_line() const {
  return from_ns(m_last_line_ns.load(std::memory_order_relaxed));
}

IntakeCounters Intake::counters() const {
  IntakeCounters c;
  c.lines = m_lines.load(std::memory_order_relaxed);
  c.bytes = m_bytes.load(std::memory_order_relaxed);
  c.cut_lines = m_cut.load(std::memory_order_relaxed);
  c.errors = m_errors.load(std::memory_order_relaxed);
  c.warnings = m_warnings.load(std::memory_order_relaxed);
  return c;
}

} // namespace crashpilot::logs
