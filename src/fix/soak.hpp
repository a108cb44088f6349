// SPDX-License-Identifier: MIT
#pragma once

// How long a patched server must run crash-free before "no crash" means something. Crashes of one
// bucket are modelled as a Poisson process with rate λ (crashes per second of uptime). If the bug
// survived the patch, the chance of seeing no crash in T seconds is exp(-λT), so a crash-free soak
// of T = -ln(1 - c) / λ rules the surviving bug out with confidence c. The rate comes from the
// bucket's own history; with none, from a configured default interval, and the plan says which.

#include <fix/fix_options.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace crashpilot::fix {

// -ln(1 - confidence) / rate: seconds of crash-free running for `confidence`. Infinity for a
// rate <= 0 (a bug that never fires cannot be ruled out) or confidence >= 1; 0 for confidence <= 0.
double soak_seconds(double rate_per_second, double confidence);

// 1 - exp(-rate * seconds): the confidence a crash-free run of `seconds` gives.
double confidence_after(double seconds, double rate_per_second);

struct RateEstimate {
  double rate_per_second = 0;
  std::string source; // "history": the bucket's crashes over their uptime; "default": no history
  int crashes = 0;    // crashes counted (history)
  double observed_seconds = 0; // uptime they were observed over (history)
};

// λ = crashes / total uptime before them. Values that are not finite or are negative are ignored;
// when none remain or the uptime sums to 0, λ = 1 / default_interval_seconds ("default").
RateEstimate estimate_rate(const std::vector<double>& uptimes_to_crash_seconds,
                           double default_interval_seconds);

struct SoakPlan {
  double rate_per_second = 0;
  double wanted_confidence = 0; // [verify] soak_confidence
  double ideal_seconds = 0;     // soak_seconds(rate, wanted), before the limits
  double seconds = 0;           // clamped to [soak_min, soak_max]
  double confidence = 0;        // what `seconds` crash-free actually gives
  bool clamped_to_min = false;
  bool clamped_to_max = false; // confidence < wanted_confidence
};

SoakPlan plan_soak(double rate_per_second, const VerifyOptions& options);

// "crash-free for 180 s gives 95.0% confidence at 1 crash per 60 s (bucket history)" and, when
// capped, what the cap costs. For the loop's output.
std::string describe(const SoakPlan& plan, const RateEstimate& rate);

nlohmann::json to_json(const RateEstimate& r);
nlohmann::json to_json(const SoakPlan& p);

} // namespace crashpilot::fix
