// SPDX-License-Identifier: MIT
#include <fix/soak.hpp>
#include <gtest/gtest.h>

#include <cmath>

using namespace crashpilot::fix;

TEST(Soak, ZeroEventBound) {
  // λ = 1/60 s, c = 0.95: T = -ln(0.05) * 60 = 179.74 s.
  EXPECT_NEAR(soak_seconds(1.0 / 60, 0.95), 179.7, 0.05);
  EXPECT_NEAR(soak_seconds(1.0 / 60, 0.99), 276.3, 0.05);
  EXPECT_NEAR(soak_seconds(1.0 / 600, 0.5), 415.9, 0.05);
  EXPECT_NEAR(confidence_after(179.7, 1.0 / 60), 0.95, 0.0005);
  EXPECT_NEAR(confidence_after(60, 1.0 / 60), 1 - std::exp(-1.0), 1e-12);
  // Round trip.
  for (double c : {0.5, 0.9, 0.95, 0.999}) {
    EXPECT_NEAR(confidence_after(soak_seconds(0.01, c), 0.01), c, 1e-12);
  }
}

TEST(Soak, EdgeCases) {
  EXPECT_EQ(soak_seconds(0.1, 0), 0);
  EXPECT_TRUE(std::isinf(soak_seconds(0, 0.95)));
  EXPECT_TRUE(std::isinf(soak_seconds(0.1, 1)));
  EXPECT_EQ(confidence_after(0, 0.1), 0);
  EXPECT_EQ(confidence_after(100, 0), 0);
}

TEST(Soak, RateFromHistoryOrDefault) {
  auto h = estimate_rate({30, 90, 60}, 600);
  EXPECT_EQ(h.source, "history");
  EXPECT_EQ(h.crashes, 3);
  EXPECT_DOUBLE_EQ(h.observed_seconds, 180);
  EXPECT_DOUBLE_EQ(h.rate_per_second, 3.0 / 180);
  // Nonsense values are ignored; nothing left falls back to the default interval.
  auto d = estimate_rate({-5, std::nan("")}, 600);
  EXPECT_EQ(d.source, "default");
  EXPECT_DOUBLE_EQ(d.rate_per_second, 1.0 / 600);
  EXPECT_EQ(estimate_rate({}, 300).source, "default");
  EXPECT_EQ(estimate_rate({0}, 300).source, "default"); // a crash at start-up: no uptime
}

TEST(Soak, PlanIsClampedAndReportsTheConfidenceItGives) {
  VerifyOptions o;
  o.soak_confidence = 0.95;
  o.soak_min = 10;
  o.soak_max = 3600;
  auto p = plan_soak(1.0 / 60, o);
  EXPECT_NEAR(p.seconds, 179.7, 0.05);
  EXPECT_NEAR(p.confidence, 0.95, 1e-9);
  EXPECT_FALSE(p.clamped_to_min || p.clamped_to_max);

  // A rare crash (once a day): the cap wins and the plan says how much confidence is left.
  auto rare = plan_soak(1.0 / 86400, o);
  EXPECT_EQ(rare.seconds, 3600);
  EXPECT_TRUE(rare.clamped_to_max);
  EXPECT_NEAR(rare.confidence, 1 - std::exp(-3600.0 / 86400), 1e-9); // ~4.1%
  EXPECT_NEAR(rare.ideal_seconds, 258832, 1);

  // A frequent crash: at least soak_min, with more confidence than asked for.
  auto often = plan_soak(1.0, o);
  EXPECT_EQ(often.seconds, 10);
  EXPECT_TRUE(often.clamped_to_min);
  EXPECT_GT(often.confidence, 0.9999);

  auto text = describe(rare, estimate_rate({86400}, 600));
  EXPECT_NE(text.find("3600 s"), std::string::npos) << text;
  EXPECT_NE(text.find("4.1%"), std::string::npos) << text;
  EXPECT_NE(text.find("soak_max_seconds"), std::string::npos) << text;
  auto j = to_json(rare);
  EXPECT_DOUBLE_EQ(j["seconds"].get<double>(), 3600);
  EXPECT_TRUE(to_json(plan_soak(0, o))["ideal_seconds"].is_null()); // no rate: unbounded
}
