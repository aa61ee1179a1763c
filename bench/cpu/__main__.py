from bench.cpu.run import main

main()
