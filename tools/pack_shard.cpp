// `vitrine-pack shard`: cuts a built pack into a head and relation shards
// (docs/pack-format.md#sharded-packs). Works on any pack, whatever built it.
#include "pack_shard.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "vitrine/pack/shards.hpp"

namespace vitrine::tools {
namespace {

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "vitrine-pack shard: %s\n", msg);
  std::fprintf(
      stderr,
      "usage: vitrine-pack shard --in pack.vpk --out DIR [--shards K] [--block S]\n"
      "         [--two-hop-fanout F] [--drop-embeddings] [--quiet]\n"
      "  writes DIR/head.vpk and DIR/shards/<sha256>.vpk (one per shard)\n"
      "  --shards K          relation shards (default 64, at most 65536)\n"
      "  --block S           a two-level directory: the head lists blocks of S shards,\n"
      "                      DIR/shards/<sha256>.vdb, each listing its shards' digests\n"
      "                      (for thousands of shards: 32 bytes per shard leave the head)\n"
      "  --two-hop-fanout F  sequential rows of the first F neighbours in each shard\n"
      "                      (default 10, the recommender's two_hop_fanout)\n"
      "  --drop-embeddings   a pack with embeddings keeps them and its whole item table\n"
      "                      in the head (the embedding pass scores every item); this\n"
      "                      drops them: a small head, lists without embedding scores\n");
  std::exit(2);
}

bool read_file(const std::string& path, std::vector<std::uint8_t>& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::uint8_t buf[1 << 16];
  for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) {
    out.insert(out.end(), buf, buf + got);
  }
  return std::fclose(f) == 0;
}

bool write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  return f != nullptr && std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() &&
         std::fclose(f) == 0;
}

std::uint32_t number(const char* flag, const std::string& v, std::uint32_t max) {
  char* end = nullptr;
  const long x = std::strtol(v.c_str(), &end, 10);
  if (end == v.c_str() || *end != '\0' || x < 1 || x > static_cast<long>(max)) {
    usage((std::string(flag) + " needs an integer from 1 to " + std::to_string(max)).c_str());
  }
  return static_cast<std::uint32_t>(x);
}

}  // namespace

int shard_main(int argc, char** argv) {
  std::string in, out;
  ShardOptions options;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    if (a == "--in") {
      in = next();
    } else if (a == "--out") {
      out = next();
    } else if (a == "--shards") {
      options.shards = number("--shards", next(), kMaxShards);
    } else if (a == "--block") {
      options.block_size = number("--block", next(), kMaxShards);
    } else if (a == "--two-hop-fanout") {
      options.two_hop_fanout = number("--two-hop-fanout", next(), 1000);
    } else if (a == "--drop-embeddings") {
      options.keep_embeddings = false;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "-h" || a == "--help") {
      usage(nullptr);
    } else {
      usage(("unknown argument " + a).c_str());
    }
  }
  if (in.empty() || out.empty()) usage("--in and --out are required");
  std::vector<std::uint8_t> bytes;
  if (!read_file(in, bytes)) {
    std::fprintf(stderr, "vitrine-pack shard: %s: cannot read\n", in.c_str());
    return 1;
  }
  auto cut = shard_pack(bytes.data(), bytes.size(), options);
  if (!cut.is_ok()) {
    std::fprintf(stderr, "vitrine-pack shard: %s: %s\n", in.c_str(),
                 cut.status().message().c_str());
    return 1;
  }
  const ShardedPackBytes& parts = cut.value();
  auto dir = read_shard_directory(parts.head.data(), parts.head.size());
  bool dir_ok = dir.is_ok() && dir.value().count == parts.shards.size();
  for (const auto& block : parts.blocks) {
    dir_ok = dir_ok && add_directory_block(dir.value(), block.data(), block.size()).is_ok();
  }
  if (!dir_ok) {
    std::fprintf(stderr, "vitrine-pack shard: internal error: bad shard directory\n");
    return 1;
  }
  mkdir(out.c_str(), 0755);
  mkdir((out + "/shards").c_str(), 0755);
  if (!write_file(out + "/head.vpk", parts.head)) {
    std::fprintf(stderr, "vitrine-pack shard: %s/head.vpk: cannot write\n", out.c_str());
    return 1;
  }
  for (std::uint32_t b = 0; b < parts.blocks.size(); ++b) {
    const std::string path = out + "/shards/" + block_digest_hex(dir.value(), b) + ".vdb";
    if (!write_file(path, parts.blocks[b])) {
      std::fprintf(stderr, "vitrine-pack shard: %s: cannot write\n", path.c_str());
      return 1;
    }
  }
  std::size_t total = 0, largest = 0;
  for (std::uint32_t k = 0; k < parts.shards.size(); ++k) {
    const std::string path = out + "/shards/" + shard_digest_hex(dir.value(), k) + ".vpk";
    if (!write_file(path, parts.shards[k])) {
      std::fprintf(stderr, "vitrine-pack shard: %s: cannot write\n", path.c_str());
      return 1;
    }
    total += parts.shards[k].size();
    largest = std::max(largest, parts.shards[k].size());
  }
  if (!quiet) {
    std::fprintf(stderr,
                 "%s: %zu bytes -> head %zu bytes, %zu shards (%zu bytes, largest %zu), "
                 "%zu directory blocks\n",
                 in.c_str(), bytes.size(), parts.head.size(), parts.shards.size(), total, largest,
                 parts.blocks.size());
  }
  return 0;
}

}  // namespace vitrine::tools
