// A pack as plain tables: what the shard splitter cuts and the shard merger joins. Reading
// copies a checked pack into vectors (codes stay codes, so nothing is requantized); writing
// lays the tables out exactly as docs/pack-format.md says.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vitrine/pack.hpp"
#include "vitrine/status.hpp"

namespace vitrine::detail {

struct RelationTable {
  bool present = false;
  std::array<float, 256> table{};
  std::vector<std::uint32_t> row_ptr{0};  // rows + 1
  std::vector<std::uint32_t> ids;
  std::vector<std::uint8_t> codes;
};

struct PackTables {
  std::array<std::uint8_t, 32> meta{};  // section META as is
  std::vector<std::string> ids;         // sorted bytewise: index = dense id
  std::vector<std::string> categories;  // sorted bytewise
  std::vector<std::uint32_t> item_category;
  std::vector<float> price;
  std::vector<std::uint8_t> flags;
  std::array<float, 256> pop_table{};
  std::vector<std::uint8_t> pop_codes;
  std::vector<std::uint32_t> top;
  std::vector<std::vector<std::uint32_t>> segments;  // one list per category
  bool bands = false;
  float band_medium = 0, band_high = 0;
  std::vector<std::uint32_t> band_lists[3];
  RelationTable relations[kRelationCount];
  std::uint32_t embedding_dim = 0;
  float embedding_scale = 0;
  std::vector<std::int8_t> embeddings;  // item_count * embedding_dim
  // Sections this code does not interpret (e.g. SHRD, SHID), kept in order.
  std::vector<std::pair<std::uint32_t, std::vector<std::uint8_t>>> extra;

  std::uint32_t item_count() const { return static_cast<std::uint32_t>(ids.size()); }
};

// Checks the bytes with Pack::open, then copies them out.
Result<PackTables> read_tables(const std::uint8_t* data, std::size_t size);
std::vector<std::uint8_t> write_pack(const PackTables& tables);
// The bytes of a section, or nullptr (size 0) when absent or out of the data's bounds.
const std::uint8_t* find_section(const std::uint8_t* data, std::size_t data_size, std::uint32_t tag,
                                 std::size_t* size);

}  // namespace vitrine::detail
