from kitgen.cli import main

main(prog_name="kitgen")
