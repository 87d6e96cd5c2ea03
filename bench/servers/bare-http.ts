import { createServer } from 'node:http';
import { answerHit, isClick, listenAndAnnounce } from './answer';

/**
 * Ceiling (b): node:http answering the pixel GIF and the click redirect, recording nothing.
 * Same URL shapes as the collector: /o/{token}.gif and /c/{token}/{n}.
 */
const server = createServer((req, res) => answerHit(res, isClick(req.url)));
listenAndAnnounce(server);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
