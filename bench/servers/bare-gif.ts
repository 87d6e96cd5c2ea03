import { createServer } from 'node:http';
import { answerHit, listenAndAnnounce } from './answer';

/** The ceiling: a bare node:http server answering the same GIF and recording nothing. */
const server = createServer((_req, res) => answerHit(res, false));
listenAndAnnounce(server);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
