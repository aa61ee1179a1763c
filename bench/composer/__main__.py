from bench.composer.run import main

main()
