// What a private build puts in the pack: the released tables in the builder's terms and
// the DPAR section (docs/pack-format.md). Internal to the builder; the hook in
// pack_builder.cpp calls private_tables() instead of using its exact counts.
#pragma once
#include <cstdint>
#include <vector>

#include "vitrine/pack/dp_accounting.hpp"
#include "vitrine/status.hpp"

namespace vitrine::pack {

struct ReleasedPair {
  std::uint32_t a, b;  // dense ids; both directions are listed
  double count;        // noisy
  double weight;       // cosine from released values only
};

struct PrivateTables {
  DpPlan plan;
  std::vector<double> popularity;  // by dense id
  std::vector<ReleasedPair> pairs;
  std::uint64_t candidates = 0;  // distinct bounded pairs before selection
};

// Sessions as offsets into handles; `dense` maps a handle to its dense id.
Result<PrivateTables> private_tables(const std::vector<std::uint32_t>& offsets,
                                     const std::vector<std::uint32_t>& handles,
                                     const std::vector<std::uint32_t>& dense,
                                     const DpOptions& options);

// The DPAR section's bytes (80).
std::vector<std::uint8_t> dp_section(const DpOptions& options, const DpPlan& plan);

}  // namespace vitrine::pack
