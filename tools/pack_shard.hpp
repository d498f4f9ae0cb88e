// `vitrine-pack shard ...`: the sharding step, apart from building (it takes a built pack).
#pragma once

namespace vitrine::tools {

// argv[0] is "shard". Returns the process exit code.
int shard_main(int argc, char** argv);

}  // namespace vitrine::tools
