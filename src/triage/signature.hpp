// SPDX-License-Identifier: MIT
#pragma once

// Crash signatures: what makes two crashes "the same bug". The kind plus the top meaningful frames,
// normalized so a rebuild (new addresses, paths, a few lines of drift) keeps the signature; and a fuzzy
// similarity that links near signatures the way ClusterFuzz's crash comparer does.

#include <model/crash.hpp>
#include <triage/frames.hpp>
#include <triage/rules.hpp>

namespace crashpilot::triage {

// Signature frames start at the meaningful frame. An assertion site is written as
// "<unqualified function>@<file name>" and followed by the normalized condition, so GCC's "GetMap"
// and MSVC's "WorldObject::GetMap" from the same Object.h agree. Unsymbolized frames keep
// "module+0xoffset"; when no frame is usable the exception code and message stand in.
model::Signature compute_signature(const model::Crash& crash, const MeaningfulFrame& meaningful, const Rules& rules);

// 0..1: how alike two signatures' frame lists are (the larger of the longest-common-subsequence ratio
// and the mean per-frame edit-distance ratio). Different kinds score 0.
double similarity(const model::Signature& a, const model::Signature& b);

// ClusterFuzz's rule: the same bug when at least two frames agree in order, or the similarity reaches
// the threshold.
bool is_near(const model::Signature& a, const model::Signature& b, double threshold);

} // namespace crashpilot::triage
