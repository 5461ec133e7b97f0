import sys
import common
vendor = common.scratch_environment("pgx")
import bench_queries
bench_queries.populate(1_000_000)
print("done")
