// Files of the two-stage pack build (docs/pack-tables.md): the aggregate tables as TSV
// (written by `vitrine-pack aggregate` or exported from a warehouse, read by `vitrine-pack
// build`), and the binary spill runs of a streaming aggregation.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "vitrine/pack/aggregate.hpp"
#include "vitrine/pack_builder.hpp"
#include "vitrine/status.hpp"

namespace vitrine::tools {

// Writes DIR/totals.tsv, DIR/items.tsv and DIR/pairs.tsv; pair rows may be streamed
// (the output of a merge) before finish() writes the item counts and totals.
class TablesWriter {
 public:
  TablesWriter() = default;
  TablesWriter(const TablesWriter&) = delete;
  TablesWriter& operator=(const TablesWriter&) = delete;
  ~TablesWriter();
  Status open(const std::string& dir);  // creates DIR if missing
  Status pair(pack::Relation relation, const pack::PairCount& row,
              const std::vector<std::string>& ids);
  // Item counts and totals of `tables` (and its in-memory pairs, if any), then closes.
  Status finish(const pack::AggregateTables& tables, const std::vector<std::string>& ids);

 private:
  std::string dir_;
  std::FILE* pairs_ = nullptr;
};

// Reads DIR into `out`, interning item ids with `builder` (handles index out's vectors).
// Pair rows supported by fewer than min_support sessions are counted (pair_rows) but not
// kept. Every malformed row is an error naming the file and line.
Status read_tables(const std::string& dir, PackBuilder& builder, std::uint32_t min_support,
                   pack::AggregateTables& out);

// Sorted runs of pair rows spilled to files in a directory, read back for merge_runs.
class SpillStore {
 public:
  explicit SpillStore(std::string dir) : dir_(std::move(dir)) {}
  SpillStore(const SpillStore&) = delete;
  SpillStore& operator=(const SpillStore&) = delete;
  ~SpillStore();  // removes the run files
  Status write(pack::Relation relation, const std::vector<pack::PairCount>& run);
  // Sources over every run of `relation`, valid while this store lives.
  Status open(pack::Relation relation, std::vector<pack::RunSource>& out);
  std::size_t runs() const { return files_[0].size() + files_[1].size() + files_[2].size(); }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::string dir_;
  std::vector<std::string> files_[3];
  std::vector<std::FILE*> open_;
  std::uint64_t bytes_ = 0;
};

}  // namespace vitrine::tools
