// SPDX-License-Identifier: MIT
#include <fix/soak.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace crashpilot::fix {

double soak_seconds(double rate_per_second, double confidence) {
  if (confidence <= 0) {
    return 0;
  }
  if (!(rate_per_second > 0) || confidence >= 1) {
    return std::numeric_limits<double>::infinity();
  }
  // log1p keeps precision for confidences close to 0.
  return -std::log1p(-confidence) / rate_per_second;
}

double confidence_after(double seconds, double rate_per_second) {
  if (!(seconds > 0) || !(rate_per_second > 0)) {
    return 0;
  }
  return -std::expm1(-rate_per_second * seconds);
}

RateEstimate estimate_rate(const std::vector<double>& uptimes_to_crash_seconds,
                           double default_interval_seconds) {
  RateEstimate r;
  for (double u : uptimes_to_crash_seconds) {
    if (std::isfinite(u) && u >= 0) {
      ++r.crashes;
      r.observed_seconds += u;
    }
  }
  if (r.crashes > 0 && r.observed_seconds > 0) {
    r.rate_per_second = r.crashes / r.observed_seconds;
    r.source = "history";
    return r;
  }
  r.source = "default";
  r.rate_per_second = default_interval_seconds > 0 ? 1.0 / default_interval_seconds : 0;
  return r;
}

SoakPlan plan_soak(double rate_per_second, const VerifyOptions& options) {
  SoakPlan p;
  p.rate_per_second = rate_per_second;
  p.wanted_confidence = options.soak_confidence;
  p.ideal_seconds = soak_seconds(rate_per_second, options.soak_confidence);
  p.seconds = p.ideal_seconds;
  if (p.seconds < options.soak_min) {
    p.seconds = options.soak_min;
    p.clamped_to_min = true;
  }
  if (p.seconds > options.soak_max) {
    p.seconds = options.soak_max;
    p.clamped_to_max = true;
  }
  p.confidence = confidence_after(p.seconds, rate_per_second);
  return p;
}

std::string describe(const SoakPlan& plan, const RateEstimate& rate) {
  std::string source =
      rate.source == "history"
          ? fmt::format("{} crash(es) in {:.0f} s of uptime", rate.crashes, rate.observed_seconds)
          : "no history: [verify] default_crash_interval_seconds";
  std::string interval = plan.rate_per_second > 0
                             ? fmt::format("1 crash per {:.0f} s", 1.0 / plan.rate_per_second)
                             : "no crash rate";
  std::string out = fmt::format("crash-free for {:.0f} s gives {:.1f}% confidence at {} ({})",
                                plan.seconds, plan.confidence * 100, interval, source);
  if (plan.clamped_to_max) {
    out +=
        fmt::format("; {:.0f} s would be needed for {:.1f}% but [verify] soak_max_seconds caps it",
                    plan.ideal_seconds, plan.wanted_confidence * 100);
  }
  return out;
}

nlohmann::json to_json(const RateEstimate& r) {
  return {{"rate_per_second", r.rate_per_second},
          {"source", r.source},
          {"crashes", r.crashes},
          {"observed_seconds", r.observed_seconds}};
}

nlohmann::json to_json(const SoakPlan& p) {
  // JSON has no infinity: an unbounded ideal time is null.
  nlohmann::json ideal = std::isfinite(p.ideal_seconds) ? nlohmann::json(p.ideal_seconds) : nullptr;
  return {{"rate_per_second", p.rate_per_second},
          {"wanted_confidence", p.wanted_confidence},
          {"ideal_seconds", ideal},
          {"seconds", p.seconds},
          {"confidence", p.confidence},
          {"clamped_to_min", p.clamped_to_min},
          {"clamped_to_max", p.clamped_to_max}};
}

} // namespace crashpilot::fix
