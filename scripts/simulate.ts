// npm run simulate [-- --help]: a deterministic simulated day at the centre driving the real Lobby, or
// the pure M/M/c queue through it beside Erlang C.
import { runCli } from './simulate/cli';

process.exitCode = runCli(process.argv.slice(2), console);
