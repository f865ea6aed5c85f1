console.log("BENCH {bad")
process.exit(3)
